// form.js: the schedules page's form to create or edit a schedule: name,
// codes per batch, when it repeats (day, month day, time, time zone), the
// plan the codes sell, how long codes stay usable, who is told.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, select, field, input, durationField, errorBox, showFormError, busy, toast, checkForm }
  from "../../kit.js";
import { schedulesPath, DAYS } from "./path.js";
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
  const save = button(editing ? "Save schedule" : "Create schedule", null, { kind: "primary", type: "submit" });
  const tellHint = state.groups.length
    ? "Who gets the new codes by e-mail or webhook." : "Set up notification groups to send each batch by e-mail.";
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" },
      field("Name", c.name),
      field("Codes per batch", c.count, { hint: "1 to 500." }),
      field("Repeat", c.rec), c.dowField, c.domField,
      field("At", c.runAt),
      field("Time zone", c.tz, { hint: "The venue's time zone, e.g. Europe/London." }),
      c.plan ? c.plan.el : null,
      c.valid.el,
      field("Tell", c.grp, { hint: tellHint })),
    c.tzList,
    h("div", { class: "form-actions" }, save, button("Cancel", () => box.replaceChildren(), { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = formBody(c);
    await busy(save, "Saving…", async () => {
      try {
        if (editing) await api.put(schedulesPath(state, s.id), body);
        else await api.post(schedulesPath(state), body);
        toast(editing ? "Schedule saved." : "Schedule created.");
        box.replaceChildren();
        saved();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  fill(box, panel(editing ? `Edit “${s.name}”` : "New schedule", form));
  c.name.focus();
}

/** controls are the form's inputs for s; the day fields show only for the repeat that uses them. */
function controls(state, s) {
  const rec = select("recurrence_type", [["daily", "Every day"], ["weekly", "Every week"], ["monthly", "Every month"]],
    s.recurrence_type);
  const dow = select("day_of_week", DAYS.map((d, i) => [i, d]), s.day_of_week ?? 1);
  const dom = input({ type: "number", name: "day_of_month", min: 1, max: 31, value: String(s.day_of_month ?? 1) });
  const c = {
    name: input({ name: "name", value: s.name || "", required: true, placeholder: "Morning guest codes" }),
    count: input({ type: "number", name: "count", min: 1, max: 500, value: String(s.count), required: true }),
    rec, dow, dom,
    dowField: field("Day of the week", dow),
    domField: field("Day of the month", dom,
      { hint: "In shorter months, a day past the month's end runs on its last day." }),
    runAt: input({ type: "time", name: "run_at", value: s.run_at || "07:00", required: true }),
    tzList: h("datalist", { id: "tz-list" },
      (Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : []).map((z) => h("option", { value: z }))),
    tz: input({ name: "timezone", value: s.timezone, list: "tz-list", required: true, spellcheck: "false" }),
    valid: durationField("Codes stay usable for", "valid_for_in_minutes", s.valid_for_in_minutes * 60,
      { units: ["minutes", "hours", "days"] }),
    grp: select("notification_group_id", [["", "Nobody"], ...state.groups.map((g) => [g.id, g.name])],
      s.notification_group_id || ""),
  };
  c.plan = state.plans.length
    ? planPicker(state.plans, s.plan_id, { valid: c.valid, hint: "What each batch's codes sell." }) : null;
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
