// history.js: a schedule's run history: when each batch was made, how many
// of its codes are used, what the notifications did, and printing a batch.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, stateBadge, table } from "../../kit.js";
import { dateTime, number } from "../../format.js";
import { t, tn } from "../../i18n.js";
import { startPrint } from "../../print_job.js";
import { schedulesPath } from "./path.js";

/** runHistory fills box with the last 20 runs of schedule s. */
export async function runHistory(ctx, state, s, box) {
  let runs;
  try {
    runs = await api.get(`${schedulesPath(state, s.id)}/runs?limit=20`);
  } catch (e) {
    fill(box, h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: t("sched.history_not_loaded") + " " }), e.message));
    return;
  }
  const print = (r) => button(t("print.print"), () => startPrint(ctx, { instance: state.instId, run_id: r.id }),
    { small: true, iconName: "print", attrs: { "aria-label": t("sched.print_batch_aria", { time: dateTime(r.ran_at) }) } });
  fill(box, h("h3", { text: t("sched.history") }), table([
    { label: t("sched.ran"), cell: ranCell },
    { label: t("sched.made_used_unused"), cell: (r) => `${number(r.generated)} · ${number(r.used)} · ${number(r.available)}` },
    { label: t("nav.notifications"), className: "col-wide", cell: notes },
    { label: "", className: "col-actions", cell: print },
  ], runs, { empty: t("batches.not_run") }));
}

const ranCell = (r) =>
  h("span", null, dateTime(r.ran_at), r.manual ? h("span", { class: "muted small", text: " " + t("sched.by_hand") }) : null);

/** notes: what each notification of a run did (sent, failed and why, retrying). */
function notes(r) {
  if (!r.notifications.length) return h("span", { class: "muted", text: t("sched.none_sent") });
  return h("ul", { class: "notes" }, r.notifications.map((n) => {
    const to = t(n.channel === "email" ? "sched.email_to" : "sched.webhook_to", { target: n.target });
    return h("li", { class: n.status === "failed" ? "note-failed" : null },
      stateBadge(n.status), " ", h("span", { text: to }), noteTrouble(n));
  }));
}

function noteTrouble(n) {
  if (n.status === "failed") {
    const failed = tn("sched.failed_after", n.attempts);
    return h("div", { class: "error-text small", text: n.last_error ? failed + ": " + n.last_error : failed + "." });
  }
  if (n.status === "pending" && n.last_error) {
    return h("div", { class: "muted small", text: tn("sched.retrying", n.attempts, { error: n.last_error }) });
  }
  return null;
}
