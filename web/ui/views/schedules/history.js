// history.js: a schedule's run history: when each batch was made, how many
// of its codes are used, what the notifications did, and printing a batch.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, stateBadge, table } from "../../kit.js";
import { dateTime } from "../../format.js";
import { startPrint } from "../../print_job.js";
import { schedulesPath } from "./path.js";

/** runHistory fills box with the last 20 runs of schedule s. */
export async function runHistory(ctx, state, s, box) {
  let runs;
  try {
    runs = await api.get(`${schedulesPath(state, s.id)}/runs?limit=20`);
  } catch (e) {
    fill(box, h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: "The run history could not be loaded. " }), e.message));
    return;
  }
  const print = (r) => button("Print", () => startPrint(ctx, { instance: state.instId, run_id: r.id }),
    { small: true, iconName: "print", attrs: { "aria-label": `Print the batch of ${dateTime(r.ran_at)}` } });
  fill(box, h("h3", { text: "Run history" }), table([
    { label: "Ran", cell: ranCell },
    { label: "Made · used · unused", cell: (r) => `${r.generated} · ${r.used} · ${r.available}` },
    { label: "Notifications", className: "col-wide", cell: notes },
    { label: "", className: "col-actions", cell: print },
  ], runs, { empty: "This schedule has not run yet." }));
}

const ranCell = (r) =>
  h("span", null, dateTime(r.ran_at), r.manual ? h("span", { class: "muted small", text: " (run by hand)" }) : null);

/** notes: what each notification of a run did (sent, failed and why, retrying). */
function notes(r) {
  if (!r.notifications.length) return h("span", { class: "muted", text: "none sent" });
  return h("ul", { class: "notes" }, r.notifications.map((n) => {
    const to = `${n.channel === "email" ? "E-mail to" : "Webhook"} ${n.target}`;
    return h("li", { class: n.status === "failed" ? "note-failed" : null },
      stateBadge(n.status), " ", h("span", { text: to }), noteTrouble(n));
  }));
}

function noteTrouble(n) {
  if (n.status === "failed") {
    const tries = `${n.attempts} ${n.attempts === 1 ? "try" : "tries"}`;
    const why = n.last_error ? ": " + n.last_error : ".";
    return h("div", { class: "error-text small", text: `Failed after ${tries}${why}` });
  }
  if (n.status === "pending" && n.last_error) {
    return h("div", { class: "muted small", text: `Retrying (${n.attempts} tries so far): ${n.last_error}` });
  }
  return null;
}
