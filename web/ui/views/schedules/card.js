// card.js: one schedule on the schedules page: when it runs and the next
// batch, its counts since the last run, and its buttons (run now, copy the
// signed link, run history, edit, delete).

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, busy, confirmDialog, toast, copyBox, copyText, loading } from "../../kit.js";
import { dateTimeIn, browserZone, relative, duration } from "../../format.js";
import { startPrint } from "../../print_job.js";
import { runHistory } from "./history.js";
import { schedulesPath, DAYS } from "./path.js";

/**
 * scheduleCard shows schedule s. state holds instId, manage (may the
 * caller change schedules), groups and flash (messages kept for a card
 * across a reload); load reloads the list, edit(s) opens the form.
 */
export function scheduleCard(ctx, state, s, { load, edit }) {
  const histBox = h("div");
  const out = h("div", { role: "status" }, state.flash.get(s.id) || null);
  state.flash.delete(s.id);
  const fail = (e) => fill(out, h("div", { class: "alert alert-error", role: "alert", text: e.message }));
  const histBtn = button("Run history", async () => {
    const open = histBtn.getAttribute("aria-expanded") === "true";
    histBtn.setAttribute("aria-expanded", String(!open));
    if (open) return histBox.replaceChildren();
    fill(histBox, loading());
    await runHistory(ctx, state, s, histBox);
  }, { attrs: { "aria-expanded": "false" } });
  const manage = state.manage;
  const buttons = [
    manage ? runButton(ctx, state, s, out, fail, load) : null,
    linkButton(state, s, out, fail),
    histBtn,
    manage ? button("Edit", () => edit(s), { kind: "ghost" }) : null,
    manage ? deleteButton(state, s, fail, load) : null,
  ];
  const sent = s.last_notification_error ? h("div", { class: "alert alert-error" },
    h("strong", { text: "The last batch could not be sent: " }), s.last_notification_error) : null;
  return h("section", { class: "panel schedule" }, cardHead(state, s), facts(state, s), sent,
    h("div", { class: "form-actions" }, buttons), out, histBox);
}

function cardHead(state, s) {
  const plan = s.plan_id && state.plans.find((p) => p.id === s.plan_id);
  const codes = plan ? `${s.count} codes of “${plan.name}”` : `${s.count} codes`;
  const what = `${when(s)} · ${codes}, usable for ${duration(s.valid_for_in_minutes * 60)}`;
  return h("div", { class: "schedule-head" },
    h("div", null, h("h2", { text: s.name }), h("p", { class: "muted", text: what })),
    h("div", { class: "schedule-next" }, h("span", { class: "muted small", text: "Next batch" }), nextBatch(s)));
}

function facts(state, s) {
  return h("dl", { class: "facts facts-inline" },
    fact("Last run", s.last_run_at ? relative(s.last_run_at) : "never"),
    fact("Made", String(s.tokens_generated_since_last_run ?? 0)),
    fact("Used", String(s.tokens_used_since_last_run ?? 0)),
    fact("Unused", String(s.tokens_available_since_last_run ?? 0)),
    fact("Notifies", groupName(state.groups, s.notification_group_id)));
}

function fact(label, value) {
  return h("div", null, h("dt", { text: label }), h("dd", null, value));
}

function groupName(groups, id) {
  if (!id) return "nobody";
  const g = groups.find((x) => x.id === id);
  return g ? g.name : "a notification group";
}

/** nextBatch: the next run in the schedule's zone, named, and in the reader's when that differs. */
function nextBatch(s) {
  if (!s.next_run_at) return h("strong", { text: "—" });
  const here = browserZone();
  const other = s.timezone && here && s.timezone !== here;
  return h("span", { class: "schedule-next-at" },
    h("strong", { text: dateTimeIn(s.next_run_at, s.timezone), title: s.timezone }),
    other ? h("span", { class: "muted small", text: `${dateTimeIn(s.next_run_at, here)} here` }) : null);
}

/** when says in words when schedule s runs. */
function when(s) {
  const at = s.run_at || "00:00";
  const tz = ` (${s.timezone})`;
  if (s.recurrence_type === "weekly") return `Every ${DAYS[s.day_of_week ?? 1]} at ${at}${tz}`;
  if (s.recurrence_type === "monthly") return `Monthly on day ${s.day_of_month} at ${at}${tz}`;
  return `Every day at ${at}${tz}`;
}

/** runButton makes a batch now; the message (with a button to print it) stays with the card across the reload. */
function runButton(ctx, state, s, out, fail, load) {
  const btn = button("Run now", () => busy(btn, "Running…", async () => {
    out.replaceChildren();
    try {
      const made = await api.post(`${schedulesPath(state, s.id)}/run`);
      const ids = made.map((c) => c.id);
      const print = button(`Print these ${made.length}`,
        () => startPrint(ctx, { instance: state.instId, coupon_ids: ids }),
        { kind: "primary", small: true, iconName: "print" });
      state.flash.set(s.id, h("div", { class: "alert alert-good run-made" },
        h("strong", { text: `${made.length} codes made. ` }), print));
      await load(); // the counts changed; the message stays with its card
    } catch (e) {
      fail(e);
    }
  }), { iconName: "refresh" });
  return btn;
}

/** linkButton copies the signed link that lists the schedule's unused codes (or shows it to copy). */
function linkButton(state, s, out, fail) {
  const btn = button("Copy signed link", () => busy(btn, "Making link…", async () => {
    out.replaceChildren();
    try {
      const { signed_url: url } = await api.get(`${schedulesPath(state, s.id)}/generate_url`);
      const copied = await copyText(url);
      const what = "It lists this schedule's unused codes without signing in, for 24 hours.";
      fill(out, h("div", { class: "alert alert-info" },
        h("p", { text: (copied ? "Link copied. " : "Copy this link. ") + what }),
        copyBox("Signed link", url)));
      if (!copied) out.querySelector("input").select();
    } catch (e) {
      fail(e);
    }
  }), { iconName: "copy" });
  return btn;
}

function deleteButton(state, s, fail, load) {
  return button("Delete", async () => {
    const body = "No more batches will be made. Codes it already made keep working.";
    if (!(await confirmDialog({ title: `Delete “${s.name}”?`, body }))) return;
    try {
      await api.del(schedulesPath(state, s.id));
      toast("Schedule deleted.");
      load();
    } catch (e) {
      fail(e);
    }
  }, { kind: "ghost" });
}
