// card.js: one schedule on the schedules page: when it runs and the next
// batch, its counts since the last run, and its buttons (run now, copy the
// signed link, run history, edit, delete).

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, busy, confirmDialog, toast, copyBox, copyText, loading } from "../../kit.js";
import { dateTimeIn, browserZone, relative, duration, number } from "../../format.js";
import { t, tn } from "../../i18n.js";
import { startPrint } from "../../print_job.js";
import { runHistory } from "./history.js";
import { schedulesPath, dayName } from "./path.js";

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
  const histBtn = button(t("sched.history"), async () => {
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
    manage ? button(t("planpage.edit"), () => edit(s), { kind: "ghost" }) : null,
    manage ? deleteButton(state, s, fail, load) : null,
  ];
  const sent = s.last_notification_error ? h("div", { class: "alert alert-error" },
    h("strong", { text: t("sched.not_sent") + " " }), s.last_notification_error) : null;
  return h("section", { class: "panel schedule" }, cardHead(state, s), facts(state, s), sent,
    h("div", { class: "form-actions" }, buttons), out, histBox);
}

function cardHead(state, s) {
  const plan = s.plan_id && state.plans.find((p) => p.id === s.plan_id);
  const codes = plan ? tn("sched.codes_of", s.count, { plan: plan.name }) : tn("sched.codes", s.count);
  const what = `${when(s)} · ` + t("sched.usable_for", { codes, time: duration(s.valid_for_in_minutes * 60) });
  return h("div", { class: "schedule-head" },
    h("div", null, h("h2", { text: s.name }), h("p", { class: "muted", text: what })),
    h("div", { class: "schedule-next" }, h("span", { class: "muted small", text: t("sched.next_batch") }), nextBatch(s)));
}

function facts(state, s) {
  return h("dl", { class: "facts facts-inline" },
    fact(t("sched.last_run"), s.last_run_at ? relative(s.last_run_at) : t("dash.never")),
    fact(t("sched.made"), number(s.tokens_generated_since_last_run ?? 0)),
    fact(t("sched.used"), number(s.tokens_used_since_last_run ?? 0)),
    fact(t("sched.unused"), number(s.tokens_available_since_last_run ?? 0)),
    fact(t("sched.notifies"), groupName(state.groups, s.notification_group_id)));
}

function fact(label, value) {
  return h("div", null, h("dt", { text: label }), h("dd", null, value));
}

function groupName(groups, id) {
  if (!id) return t("sched.nobody");
  const g = groups.find((x) => x.id === id);
  return g ? g.name : t("sched.a_group");
}

/** nextBatch: the next run in the schedule's zone, named, and in the reader's when that differs. */
function nextBatch(s) {
  if (!s.next_run_at) return h("strong", { text: "—" });
  const here = browserZone();
  const other = s.timezone && here && s.timezone !== here;
  return h("span", { class: "schedule-next-at" },
    h("strong", { text: dateTimeIn(s.next_run_at, s.timezone), title: s.timezone }),
    other ? h("span", { class: "muted small", text: t("sched.here", { time: dateTimeIn(s.next_run_at, here) }) }) : null);
}

/** when says in words when schedule s runs. */
function when(s) {
  const at = s.run_at || "00:00";
  const tz = s.timezone;
  if (s.recurrence_type === "weekly") return t("sched.when_weekly", { day: dayName(s.day_of_week ?? 1), at, tz });
  if (s.recurrence_type === "monthly") return t("sched.when_monthly", { day: s.day_of_month, at, tz });
  return t("sched.when_daily", { at, tz });
}

/** runButton makes a batch now; the message (with a button to print it) stays with the card across the reload. */
function runButton(ctx, state, s, out, fail, load) {
  const btn = button(t("sched.run_now"), () => busy(btn, t("sched.running"), async () => {
    out.replaceChildren();
    try {
      const made = await api.post(`${schedulesPath(state, s.id)}/run`);
      const ids = made.map((c) => c.id);
      const print = button(tn("generate.print_these", made.length),
        () => startPrint(ctx, { instance: state.instId, coupon_ids: ids }),
        { kind: "primary", small: true, iconName: "print" });
      state.flash.set(s.id, h("div", { class: "alert alert-good run-made" },
        h("strong", { text: tn("sched.made_n", made.length) + " " }), print));
      await load(); // the counts changed; the message stays with its card
    } catch (e) {
      fail(e);
    }
  }), { iconName: "refresh" });
  return btn;
}

/** linkButton copies the signed link that lists the schedule's unused codes (or shows it to copy). */
function linkButton(state, s, out, fail) {
  const btn = button(t("sched.copy_link"), () => busy(btn, t("sched.making_link"), async () => {
    out.replaceChildren();
    try {
      const { signed_url: url } = await api.get(`${schedulesPath(state, s.id)}/generate_url`);
      const copied = await copyText(url);
      const what = t("sched.link_what");
      fill(out, h("div", { class: "alert alert-info" },
        h("p", { text: (copied ? t("sched.link_copied") : t("sched.copy_this")) + " " + what }),
        copyBox(t("sched.signed_link"), url)));
      if (!copied) out.querySelector("input").select();
    } catch (e) {
      fail(e);
    }
  }), { iconName: "copy" });
  return btn;
}

function deleteButton(state, s, fail, load) {
  return button(t("kit.delete"), async () => {
    const body = t("sched.delete_body");
    if (!(await confirmDialog({ title: t("list.delete_title", { name: s.name }), body }))) return;
    try {
      await api.del(schedulesPath(state, s.id));
      toast(t("sched.deleted"));
      load();
    } catch (e) {
      fail(e);
    }
  }, { kind: "ghost" });
}
