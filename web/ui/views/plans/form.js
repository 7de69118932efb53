// form.js: the plans page's form to create or edit a plan, in units a
// person uses: time in minutes, hours or days, data in MB or GB, speed in
// Mbit/s, the price in the currency's main unit (8.00 EUR); empty means
// unlimited. It converts to the API's minutes, MB, kbit/s and minor units.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, field, input, unitField, durationField, errorBox, showFormError, busy, toast, checkForm }
  from "../../kit.js";
import { parseAmount, majorUnits } from "../../format.js";
import { t } from "../../i18n.js";

const YEAR = 525600; // minutes: the longest session and code validity

/**
 * planEditor shows in editor the form for plan (null for a new one); list
 * is the plans shown (a new plan starts with the last one's currency);
 * saved() runs after a save, which closes the form.
 */
export function planEditor(editor, plan, list, saved) {
  const editing = !!plan;
  const c = controls(plan || newPlan(list));
  const err = errorBox();
  const save = button(editing ? t("planform.save") : t("planform.create"), null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form plan-form", novalidate: true }, err.el,
    h("div", { class: "grid-3" },
      field(t("planpage.name"), c.name, { wide: true, hint: t("planform.name_hint") }),
      c.session.el, c.valid.el, field(t("planpage.devices"), c.devices, { hint: t("planform.devices_hint") }),
      field(t("planform.down"), c.down, { hint: t("planform.down_hint") }),
      field(t("planform.up"), c.up, { hint: t("planform.up_hint") }),
      c.data.el,
      field(t("planpage.price"), c.price, { hint: t("planform.price_hint") }),
      field(t("shiftdesk.currency"), c.currency, { hint: t("planform.currency_hint") })),
    h("div", { class: "form-actions" }, save,
      button(t("kit.cancel"), () => editor.replaceChildren(), { kind: "ghost" })));
  const fail = (e) => showFormError(form, err, e);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = readBody(c);
    if (body.error) return fail(body.error);
    await busy(save, t("planform.saving"), async () => {
      try {
        if (editing) await api.put("/captive/plans/" + api.seg(plan.id), body.plan);
        else await api.post("/captive/plans", body.plan);
        toast(t(editing ? "planform.saved" : "planform.created", { name: body.plan.name }));
        editor.replaceChildren();
        saved();
      } catch (e) {
        fail(e);
      }
    });
  });
  fill(editor, panel(editing ? t("planform.edit_title", { name: plan.name }) : t("planpage.new"), form));
  editor.scrollIntoView({ block: "nearest" });
  c.name.focus();
}

/** newPlan is what the form starts from: a day online, one device, codes valid a day, free. */
function newPlan(list) {
  const last = [...list].reverse().find((p) => p.currency);
  return { name: "", session_minutes: 1440, data_limit_mb: null, download_kbps: null, upload_kbps: null, devices: 1,
    valid_minutes: 1440, price: 0, currency: last ? last.currency : null };
}

/** controls are the form's inputs, showing plan p in a person's units. */
function controls(p) {
  const gb = p.data_limit_mb !== null && p.data_limit_mb >= 1000;
  const mbps = (kbps) => (kbps === null ? "" : String(kbps / 1000));
  const num = (name, value, props) => input({ type: "number", name, value, step: "any", inputmode: "decimal",
    ...props });
  return {
    name: input({ name: "name", value: p.name, required: true, maxlength: 64, autocomplete: "off",
      placeholder: t("planform.name_placeholder") }),
    session: durationField(t("planform.session"), "session_minutes", p.session_minutes * 60,
      { min: 60, max: YEAR * 60, hint: t("planform.session_hint") }),
    valid: durationField(t("planform.valid"), "valid_minutes", p.valid_minutes * 60,
      { min: 60, max: YEAR * 60, hint: t("planform.valid_hint") }),
    devices: num("devices", String(p.devices), { min: 1, max: 20, step: 1, required: true, inputmode: "numeric" }),
    down: num("download_kbps", mbps(p.download_kbps), { min: 0.064, placeholder: t("format.unlimited") }),
    up: num("upload_kbps", mbps(p.upload_kbps), { min: 0.064, placeholder: t("format.unlimited") }),
    data: unitField(t("planpage.data"), { name: "data_limit_mb", min: 0, placeholder: t("format.unlimited"),
      value: p.data_limit_mb === null ? "" : String(gb ? p.data_limit_mb / 1000 : p.data_limit_mb) },
    [["GB", "GB"], ["MB", "MB"]], gb || p.data_limit_mb === null ? "GB" : "MB",
    { hint: t("planform.data_hint") }),
    price: num("price", majorUnits(p.price, p.currency), { min: 0, placeholder: "0.00" }),
    currency: input({ name: "currency", value: p.currency || "", maxlength: 3, pattern: "[A-Za-z]{3}",
      autocomplete: "off", spellcheck: "false", autocapitalize: "characters", placeholder: "EUR", class: "currency" }),
  };
}

/**
 * readBody turns the form into the API's plan: {plan} or {error} with the
 * param at fault, for what the browser's own checks do not catch.
 */
function readBody(c) {
  const currency = c.currency.value.trim().toUpperCase();
  const kbps = (el) => (el.value === "" ? null : Math.round(Number(el.value) * 1000));
  const dataValue = c.data.input.value;
  const mb = dataValue === "" ? null : Math.round(Number(dataValue) * (c.data.unit.value === "GB" ? 1000 : 1));
  if (mb !== null && mb < 1) {
    return { error: { param: "data_limit_mb", message: t("planform.data_min") } };
  }
  const { minor: price, error } = parseAmount(c.price.value, currency, { prices: true });
  if (error) return { error: { param: "price", message: error } };
  if (price > 0 && !currency) {
    return { error: { param: "currency", message: t("planform.currency_needed") } };
  }
  return { plan: {
    name: c.name.value.trim(), session_minutes: Math.round(c.session.read() / 60),
    valid_minutes: Math.round(c.valid.read() / 60), devices: Number(c.devices.value),
    download_kbps: kbps(c.down), upload_kbps: kbps(c.up), data_limit_mb: mb,
    price, currency: currency || null,
  } };
}
