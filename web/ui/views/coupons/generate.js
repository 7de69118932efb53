// generate.js: the coupons page's "New codes" form: generate a number of
// codes of a plan (or none), or sell one (make it and print it in one
// click, by plan with sell.js); the codes just made are shown with a
// button to print them.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, field, input, durationField, errorBox, showFormError, busy, checkForm } from "../../kit.js";
import { startPrint } from "../../print_job.js";
import { printOne } from "../../coupon_desk.js";
import { planPicker } from "../../plans.js";
import { sellButtons } from "./sell.js";
import { t, tn } from "../../i18n.js";

/**
 * generateForm is the form for the portal state.instId, offering
 * state.plans; onMade(made) runs after codes are made and shown. clear()
 * forgets the codes shown.
 */
export function generateForm(ctx, state, onMade) {
  const f = formFields(ctx, state);
  f.oneBtn?.addEventListener("click", () => sellOne(ctx, state, f));
  f.form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(f.form, f.err)) return;
    const n = Number(f.count.value);
    const minutes = Math.round(f.valid.read() / 60);
    if (!Number.isInteger(n) || n < 1 || n > 200) {
      return f.fail({ message: t("generate.count_range"), param: "count" });
    }
    if (!(minutes >= 1)) return f.fail({ message: t("generate.need_validity"), param: "minutes_valid" });
    await busy(f.genBtn, t("generate.busy"), async () => {
      try {
        const body = { count: n, note: f.note.value.trim(), ...validity(f, minutes) };
        const made = await api.post(`/captive/instances/${api.seg(state.instId)}/coupons`, body);
        showMade(ctx, state, f.justMade, made);
        await onMade(made);
      } catch (e) {
        f.fail(e);
      }
    });
  });
  return { el: f.form, clear: () => f.justMade.replaceChildren() };
}

/**
 * validity is the request's plan and minutes_valid: with a plan whose own
 * validity the form still shows, minutes_valid is left to the plan.
 */
function validity(f, minutes) {
  const plan = f.plan ? f.plan.plan() : null;
  if (!plan) return { minutes_valid: minutes };
  return minutes === plan.valid_minutes ? { plan_id: plan.id } : { plan_id: plan.id, minutes_valid: minutes };
}

/** formFields builds the form's controls and the form. */
function formFields(ctx, state) {
  const count = input({ type: "number", name: "count", min: 1, max: 200, value: "10", required: true,
    inputmode: "numeric" });
  const valid = durationField(t("generate.valid"), "minutes_valid", 86400,
    { units: ["minutes", "hours", "days"], hint: t("generate.valid_hint") });
  const note = input({ name: "note", maxlength: 200, autocomplete: "off", spellcheck: "false" });
  const err = errorBox();
  const genBtn = button(t("generate.submit"), null, { kind: "primary", type: "submit", iconName: "plus" });
  const oneBtn = ctx.can("coupons.create")
    ? button(t("generate.print_one"), null, { iconName: "print", attrs: { "data-test": "print-one" } }) : null;
  const justMade = h("div", { role: "status" });
  const plan = state.plans.length
    ? planPicker(state.plans, "", { valid, hint: t("generate.plan_hint") }) : null;
  const fail = (e) => showFormError(form, err, e);
  const sell = sellButtons(ctx, state, { note: () => note.value.trim(), fail });
  const form = h("form", { class: "form", novalidate: true }, err.el, sell,
    h("div", { class: plan ? "grid-2" : "grid-3" },
      plan ? plan.el : null,
      field(t("generate.count"), count, { hint: t("generate.count_hint") }),
      valid.el,
      field(t("generate.note"), note, { hint: t("generate.note_hint") })),
    h("div", { class: "form-actions" }, genBtn, oneBtn), justMade);
  return { form, count, valid, note, plan, err, genBtn, oneBtn, justMade, fail };
}

/** sellOne makes one code with the form's plan, validity and note and prints it. */
async function sellOne(ctx, state, f) {
  f.err.clear();
  const minutes = Math.round(f.valid.read() / 60);
  if (!(minutes >= 1)) return f.fail({ message: t("generate.need_validity_one"), param: "minutes_valid" });
  const { plan_id: plan, minutes_valid: valid } = validity(f, minutes);
  await busy(f.oneBtn, t("generate.printing"), async () => {
    try {
      await printOne(ctx, state.instId, { minutes: valid, note: f.note.value.trim(), plan });
    } catch (e) {
      f.fail(e);
    }
  });
}

/** showMade lists the codes just made (the first 12) with a button to print them all. */
function showMade(ctx, state, box, made) {
  const ids = made.map((c) => c.id);
  const instance = state.instId;
  const printBtn = button(tn("generate.print_these", made.length), () => startPrint(ctx, { instance, coupon_ids: ids }),
    { kind: "primary", iconName: "print" });
  printBtn.dataset.test = "print-batch";
  const more = made.length > 12 ? h("span", { class: "muted", text: t("generate.and_more", { n: made.length - 12 }) }) : null;
  fill(box, h("div", { class: "alert alert-good made" },
    h("p", null, h("strong", { text: tn("generate.ready", made.length) }), " " + t("generate.ready_selected")),
    h("div", { class: "made-codes" },
      made.slice(0, 12).map((c) => h("span", { class: "code-chip", text: c.code })), more),
    printBtn));
  printBtn.focus();
}
