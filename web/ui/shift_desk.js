// shift_desk.js: the clerk's shift at the desk: finding the open one,
// opening one with the cash in the drawer (a dialog), closing it with the
// cash counted per currency (a dialog showing the cash expected), and
// printing its report.

import * as api from "./api.js";
import { h } from "./dom.js";
import { ask, input, field, errorBox, checkForm, showFormError, toast } from "./kit.js";
import { amount, parseAmount, majorUnits } from "./format.js";

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
    field("Opening float", float, { hint: "The cash in the drawer now, e.g. 50.00. Empty for none." }),
    field("Currency", cur, { hint: "Three letters, e.g. EUR." }));
  let body;
  const check = (form) => {
    if (!checkForm(form, err)) return false;
    const code = cur.value.trim().toUpperCase();
    const { minor, error } = parseAmount(float.value, code);
    if (error || (minor > 0 && !code)) {
      showFormError(form, err, error ? { param: "opening_float", message: error }
        : { param: "currency", message: "Enter the currency of the float, e.g. EUR." });
      return false;
    }
    body = code ? { opening_float: minor, currency: code } : { opening_float: 0 };
    return true;
  };
  const ok = await ask({ title: "Open your shift", confirm: "Open shift", extra, check,
    body: "Your sales go into your shift until you close it with the cash counted." }, float);
  if (!ok) return null;
  const rep = await api.post("/captive/shifts", body);
  toast("Shift opened.");
  return rep;
}

/**
 * closeShift asks for the cash counted in each currency of report rep (an
 * X-report), showing the cash expected, and closes the shift; resolves to
 * its Z-report, or null when cancelled. API errors are thrown.
 */
export async function closeShift(rep) {
  const err = errorBox();
  const counts = rep.totals.map((t) => ({ t, input: money("counted_" + t.currency,
    { required: true, placeholder: majorUnits(t.expected_cash, t.currency) || "0.00" }) }));
  const extra = h("div", { class: "dialog-fields" }, err.el,
    counts.length ? counts.map(({ t, input: box }) => field(`Cash counted (${t.currency})`, box,
      { hint: `Expected in the drawer: ${amount(t.expected_cash, t.currency)}` + expectedFrom(t, rep.shift) }))
      : h("p", { text: "Nothing was sold in this shift and there was no float: there is no cash to count." }));
  let counted;
  const check = (form) => {
    if (!checkForm(form, err)) return false;
    counted = {};
    for (const { t, input: box } of counts) {
      const { minor, error } = parseAmount(box.value, t.currency);
      if (error) {
        showFormError(form, err, { param: box.name, message: error });
        return false;
      }
      counted[t.currency] = minor;
    }
    return true;
  };
  const ok = await ask({ title: "Close your shift", confirm: "Close shift", extra, check,
    body: "Count the cash in the drawer. Closing is final: the shift's sales and voids become its Z-report." },
  counts.length ? counts[0].input : extra);
  if (!ok) return null;
  const z = await api.post(shiftPath(rep.shift.id) + "/close", { counted_cash: counted });
  toast("Shift closed.");
  return z;
}

/** expectedFrom says what the cash expected is made of: " (float €50.00 + net €10.00)". */
function expectedFrom(t, shift) {
  if (shift.currency !== t.currency || !shift.opening_float) return "";
  return ` (float ${amount(shift.opening_float, t.currency)} + net ${amount(t.net, t.currency)})`;
}
