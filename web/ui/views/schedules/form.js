// form.js: the schedules page's form to create or edit a schedule: name,
// codes per batch, when it repeats (day, month day, time, time zone), the
// plan the codes sell, how long codes stay usable, who is told.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, select, field, input, durationField, errorBox, showFormError, busy, toast, checkForm }
  from "../../kit.js";
import { schedulesPath, dayName, DAY_NUMBERS } from "./path.js";
import { t } from "../../i18n.js";
import { planPicker } from "../../plans.js";

/** newSchedule is what the form starts from for a new schedule. */
const newSchedule = () => ({ count: 20, recurrence_type: "daily", run_at: "07:00", valid_for_in_minutes: 1440,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" });

/**
 * scheduleForm shows in box the form for schedule s (null for a new one);
 * saved() runs after it is saved, which closes it.
 */
export function scheduleForm(state, s, box, saved) {
  const editing = !!s;
  s = s || newSchedule();
  const err = errorBox();
  const c = controls(state, s);
  const save = button(editing ? t("sched.save") : t("sched.create"), null, { kind: "primary", type: "submit" });
  const tellHint = state.groups.length
    ? t("sched.tell_hint") : t("sched.tell_hint_none");
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" },
      field(t("planpage.name"), c.name),
      field(t("sched.count"), c.count, { hint: t("sched.count_hint") }),
      field(t("sched.repeat"), c.rec), c.dowField, c.domField,
      field(t("sched.at"), c.runAt),
      field(t("sched.tz"), c.tz, { hint: t("sched.tz_hint") }),
      c.plan ? c.plan.el : null,
      c.valid.el,
      field(t("sched.tell"), c.grp, { hint: tellHint })),
    c.tzList,
    h("div", { class: "form-actions" }, save, button(t("kit.cancel"), () => box.replaceChildren(), { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = formBody(c);
    await busy(save, t("planform.saving"), async () => {
      try {
        if (editing) await api.put(schedulesPath(state, s.id), body);
        else await api.post(schedulesPath(state), body);
        toast(editing ? t("sched.saved") : t("sched.created"));
        box.replaceChildren();
        saved();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  fill(box, panel(editing ? t("planform.edit_title", { name: s.name }) : t("sched.new"), form));
  c.name.focus();
}

/** controls are the form's inputs for s; the day fields show only for the repeat that uses them. */
function controls(state, s) {
  const rec = select("recurrence_type", [["daily", t("sched.daily")], ["weekly", t("sched.weekly")],
    ["monthly", t("sched.monthly")]],
    s.recurrence_type);
  const dow = select("day_of_week", DAY_NUMBERS.map((n) => [n, dayName(n)]), s.day_of_week ?? 1);
  const dom = input({ type: "number", name: "day_of_month", min: 1, max: 31, value: String(s.day_of_month ?? 1) });
  const c = {
    name: input({ name: "name", value: s.name || "", required: true, placeholder: t("sched.name_placeholder") }),
    count: input({ type: "number", name: "count", min: 1, max: 500, value: String(s.count), required: true }),
    rec, dow, dom,
    dowField: field(t("sched.dow"), dow),
    domField: field(t("sched.dom"), dom, { hint: t("sched.dom_hint") }),
    runAt: input({ type: "time", name: "run_at", value: s.run_at || "07:00", required: true }),
    tzList: h("datalist", { id: "tz-list" },
      (Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : []).map((z) => h("option", { value: z }))),
    tz: input({ name: "timezone", value: s.timezone, list: "tz-list", required: true, spellcheck: "false" }),
    valid: durationField(t("sched.valid"), "valid_for_in_minutes", s.valid_for_in_minutes * 60,
      { units: ["minutes", "hours", "days"] }),
    grp: select("notification_group_id", [["", t("sched.nobody_option")], ...state.groups.map((g) => [g.id, g.name])],
      s.notification_group_id || ""),
  };
  c.plan = state.plans.length
    ? planPicker(state.plans, s.plan_id, { valid: c.valid, hint: t("sched.plan_hint") }) : null;
  const syncRec = () => {
    c.dowField.hidden = rec.value !== "weekly";
    c.domField.hidden = rec.value !== "monthly";
  };
  rec.addEventListener("change", syncRec);
  syncRec();
  return c;
}

/** formBody is the API's schedule from the form. */
function formBody(c) {
  return {
    name: c.name.value.trim(), count: Number(c.count.value), recurrence_type: c.rec.value, run_at: c.runAt.value,
    timezone: c.tz.value.trim(), valid_for_in_minutes: Math.round(c.valid.read() / 60),
    notification_group_id: c.grp.value || null,
    ...(c.plan ? { plan_id: c.plan.select.value || null } : {}),
    day_of_week: c.rec.value === "weekly" ? Number(c.dow.value) : null,
    day_of_month: c.rec.value === "monthly" ? Number(c.dom.value) : null,
  };
}
