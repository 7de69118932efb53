// shift_desk.js: the clerk's shift at the desk: finding the open one,
// opening one with the cash in the drawer (a dialog), closing it with the
// cash counted per currency (a dialog showing the cash expected), and
// printing its report.

import * as api from "./api.js";
import { h } from "./dom.js";
import { ask, input, field, errorBox, checkForm, showFormError, toast } from "./kit.js";
import { amount, parseAmount, majorUnits } from "./format.js";
import { t } from "./i18n.js";

/** shiftPath is the API path of shift id. */
export const shiftPath = (id) => "/captive/shifts/" + api.seg(id);

/** myShift is the report of the caller's open shift (an X-report), or null when none is open. */
export async function myShift() {
  const open = await api.get("/captive/shifts?mine=true&status=open");
  return open.length ? api.get(shiftPath(open[0].id)) : null;
}

/** printShift opens the print view of shift id's report, for the portal instance (optional). */
export function printShift(ctx, id, instance) {
  const q = new URLSearchParams({ shift: id });
  if (instance) q.set("instance", instance);
  ctx.navigate("/print-shift?" + q);
}

const money = (name, props) => input({ type: "number", name, min: 0, step: "any", inputmode: "decimal", ...props });

/**
 * openShift asks for the opening float (in the currency's main unit) and
 * its currency (currency proposed) and opens the caller's shift; resolves
 * to its report, or null when cancelled. API errors are thrown.
 */
export async function openShift(currency) {
  const err = errorBox();
  const float = money("opening_float", { placeholder: "0.00" });
  const cur = input({ name: "currency", value: currency || "", maxlength: 3, pattern: "[A-Za-z]{3}",
    autocomplete: "off", spellcheck: "false", autocapitalize: "characters", placeholder: "EUR", class: "currency" });
  const extra = h("div", { class: "dialog-fields" }, err.el,
    field(t("shiftdesk.float"), float, { hint: t("shiftdesk.float_hint") }),
    field(t("shiftdesk.currency"), cur, { hint: t("shiftdesk.currency_hint") }));
  let body;
  const check = (form) => {
    if (!checkForm(form, err)) return false;
    const code = cur.value.trim().toUpperCase();
    const { minor, error } = parseAmount(float.value, code);
    if (error || (minor > 0 && !code)) {
      showFormError(form, err, error ? { param: "opening_float", message: error }
        : { param: "currency", message: t("shiftdesk.currency_needed") });
      return false;
    }
    body = code ? { opening_float: minor, currency: code } : { opening_float: 0 };
    return true;
  };
  const ok = await ask({ title: t("shiftdesk.open_title"), confirm: t("shift.open"), extra, check,
    body: t("shiftdesk.open_body") }, float);
  if (!ok) return null;
  const rep = await api.post("/captive/shifts", body);
  toast(t("shiftdesk.opened"));
  return rep;
}

/**
 * closeShift asks for the cash counted in each currency of report rep (an
 * X-report), showing the cash expected, and closes the shift; resolves to
 * its Z-report, or null when cancelled. API errors are thrown.
 */
export async function closeShift(rep) {
  const err = errorBox();
  const counts = rep.totals.map((x) => ({ x, input: money("counted_" + x.currency,
    { required: true, placeholder: majorUnits(x.expected_cash, x.currency) || "0.00" }) }));
  const extra = h("div", { class: "dialog-fields" }, err.el,
    counts.length ? counts.map(({ x, input: box }) => field(t("shiftdesk.counted", { currency: x.currency }), box,
      { hint: t("shiftdesk.expected", { amount: amount(x.expected_cash, x.currency) }) + expectedFrom(x, rep.shift) }))
      : h("p", { text: t("shiftdesk.nothing_to_count") }));
  let counted;
  const check = (form) => {
    if (!checkForm(form, err)) return false;
    counted = {};
    for (const { x, input: box } of counts) {
      const { minor, error } = parseAmount(box.value, x.currency);
      if (error) {
        showFormError(form, err, { param: box.name, message: error });
        return false;
      }
      counted[x.currency] = minor;
    }
    return true;
  };
  const ok = await ask({ title: t("shiftdesk.close_title"), confirm: t("shift.close"), extra, check,
    body: t("shiftdesk.close_body") },
  counts.length ? counts[0].input : extra);
  if (!ok) return null;
  const z = await api.post(shiftPath(rep.shift.id) + "/close", { counted_cash: counted });
  toast(t("shiftdesk.closed"));
  return z;
}

/** expectedFrom says what the cash expected is made of: " (float €50.00 + net €10.00)". */
function expectedFrom(x, shift) {
  if (shift.currency !== x.currency || !shift.opening_float) return "";
  return " " + t("shiftdesk.expected_from",
    { float: amount(shift.opening_float, x.currency), net: amount(x.net, x.currency) });
}
