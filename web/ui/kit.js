// kit.js: the page's building blocks: page headers, panels, form fields,
// error boxes, tables that stack on a phone, badges, a toast and a
// confirmation dialog.

import { h, nextId, icon, fill, add } from "./dom.js";
import { unitsOf, secondsOf } from "./format.js";
import { t } from "./i18n.js";

/** page is a view's frame: a heading (focused on navigation), an optional lead and actions. */
export function page(title, { lead, actions, back } = {}) {
  const head = h("div", { class: "page-head" },
    h("div", { class: "page-title" },
      back ? h("a", { class: "back-link", href: back.href }, icon("back"), back.label) : null,
      h("h1", { tabindex: "-1", text: title }),
      lead ? h("p", { class: "lead", text: lead }) : null),
    actions ? h("div", { class: "page-actions" }, actions) : null);
  const body = h("div", { class: "page-body" });
  return { el: h("div", { class: "page" }, head, body), head, body };
}

/** panel is a titled white box. */
export function panel(title, ...children) {
  return h("section", { class: "panel" }, title ? h("h2", { text: title }) : null, ...children);
}

/** button: kind is primary, secondary (default), danger or ghost. */
export function button(label, onClick, { kind = "secondary", type = "button", iconName, small, attrs } = {}) {
  return h("button",
    { type, class: ["btn", "btn-" + kind, small && "btn-sm"], on: onClick ? { click: onClick } : null, ...attrs },
    iconName ? icon(iconName) : null, h("span", { text: label }));
}

/** linkButton is an <a> that looks like a button. */
export function linkButton(label, href, { kind = "secondary", iconName, small } = {}) {
  return h("a", { class: ["btn", "btn-" + kind, small && "btn-sm"], href },
    iconName ? icon(iconName) : null, h("span", { text: label }));
}

/**
 * field wraps a control with its label, hint and error line. control is an
 * element; it gets an id and aria-describedby.
 */
export function field(label, control, { hint, wide, className } = {}) {
  const id = control.id || (control.id = nextId());
  const hintId = nextId("hint");
  const errId = nextId("err");
  const described = [hint ? hintId : null, errId].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return h("div", { class: ["field", wide && "field-wide", className] },
    h("label", { for: id, text: label }),
    control,
    hint ? h("p", { class: "hint", id: hintId, text: hint }) : null,
    h("p", { class: "field-error", id: errId, hidden: true }));
}

/** wrapControl puts wrapper where control is, with control and extras inside. */
function wrapControl(control, wrapper, ...extras) {
  control.replaceWith(wrapper);
  wrapper.append(control, ...extras);
}

/** input makes an <input>; props pass through. */
export const input = (props) => h("input", { type: "text", ...props });

/** select makes a <select> from [value, label] pairs. */
export function select(name, options, value, props = {}) {
  return h("select", { name, ...props },
    options.map(([v, label]) => h("option", { value: v, selected: String(v) === String(value ?? ""), text: label })));
}

/** checkbox makes a labelled checkbox row. */
export function checkbox(name, label, checked, { hint } = {}) {
  const box = h("input", { type: "checkbox", name, checked: !!checked, id: nextId() });
  return h("div", { class: "field field-check" },
    h("label", { for: box.id }, box, h("span", { text: label })),
    hint ? h("p", { class: "hint", text: hint }) : null);
}

/**
 * unitField is a number and a unit select in one field: props go to the
 * number input (name, value, min, step, required, placeholder, …), units
 * are [value, label] pairs, unit the one chosen. The unit select is named
 * name + "_unit".
 */
export function unitField(label, props, units, unit, { hint } = {}) {
  const num = input({ type: "number", step: "any", inputmode: "decimal", ...props });
  const unitSel = select(props.name + "_unit", units, unit, { "aria-label": t("kit.unit_of", { label }) });
  const f = field(label, num, { hint });
  wrapControl(num, h("div", { class: "with-unit" }), unitSel);
  return { el: f, input: num, unit: unitSel };
}

/**
 * durationField is a number and a unit (minutes/hours/days) for a value in
 * seconds. read() returns seconds (NaN when empty); set(seconds) shows a
 * value in its largest whole unit.
 */
export function durationField(label, name, seconds, { units = ["minutes", "hours", "days"], hint, min, max } = {}) {
  const { value, unit } = unitsOf(seconds || 0, [...units].reverse());
  const u = unitField(label, { name, min: 1, value: seconds ? String(value) : "", required: true },
    units.map((x) => [x, t("kit.unit." + x)]), unit, { hint });
  const num = u.input;
  const unitSel = u.unit;
  const read = () => (num.value === "" ? NaN : secondsOf(num.value, unitSel.value));
  const set = (secs) => {
    const shown = unitsOf(secs, [...units].reverse());
    num.value = String(shown.value);
    unitSel.value = shown.unit;
    num.dispatchEvent(new Event("input"));
  };
  if (min || max) {
    const check = () => {
      const s = read();
      num.setCustomValidity(!isNaN(s) && ((min && s < min) || (max && s > max)) ? hint || t("kit.out_of_range") : "");
    };
    num.addEventListener("input", check);
    unitSel.addEventListener("change", check);
  }
  return { el: u.el, read, set, input: num };
}

/** formError is the alert box of a form; show(err) fills it, clear() hides it. */
export function errorBox() {
  const el = h("div", { class: "alert alert-error", role: "alert", hidden: true });
  return {
    el,
    show(err, title) {
      fill(el, title ? h("strong", { text: title + " " }) : "", err && err.message ? err.message : String(err));
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      el.replaceChildren();
    },
  };
}

/**
 * formErrors shows err next to the form: in the box, and under the field
 * named by err.param (when the form has one), which is marked invalid.
 */
export function showFormError(form, box, err) {
  clearFormError(form, box);
  const ctl = err && err.param && form ? form.querySelector(`[name="${CSS.escape(err.param)}"]`) : null;
  const line = ctl ? ctl.closest(".field")?.querySelector(".field-error") : null;
  if (ctl && line) {
    const label = ctl.closest(".field").querySelector("label")?.textContent || err.param;
    box.show({ message: t("kit.not_saved_see", { label }) });
    ctl.setAttribute("aria-invalid", "true");
    line.textContent = err.message;
    line.hidden = false;
    ctl.focus();
    return;
  }
  box.show(err);
  box.el.scrollIntoView({ block: "nearest" });
}

/**
 * checkForm runs the browser's own checks (required, min, max, …) and shows
 * the first problem in words beside its field instead of a tooltip.
 */
export function checkForm(form, box) {
  clearFormError(form, box);
  for (const el of form.elements) {
    if (!el.willValidate || el.disabled || el.closest("[hidden]") || el.checkValidity()) continue;
    showFormError(form, box, { message: el.validationMessage, param: el.name });
    return false;
  }
  return true;
}

function clearFormError(form, box) {
  box.clear();
  if (!form) return;
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
}

/**
 * busy runs fn while btn is disabled and says what is happening; errors
 * go to onError (or are rethrown).
 */
export async function busy(btn, label, fn) {
  const span = btn.querySelector("span") || btn;
  const before = span.textContent;
  btn.disabled = true;
  btn.setAttribute("aria-busy", "true");
  span.textContent = label;
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.removeAttribute("aria-busy");
    span.textContent = before;
  }
}

/** badge: a coloured state word. */
export function badge(text, tone = "neutral") {
  return h("span", { class: "badge badge-" + tone, text });
}

const STATE_TONE = {
  online: "good", offline: "bad", unknown: "neutral", valid: "good", redeemed: "info", expired: "neutral",
  revoked: "bad", delivered: "good", failed: "bad", pending: "warn",
};
/** stateBadge: a state in words ("valid", "online", …; a state the page does not know as it is). */
export const stateBadge = (state) => {
  const word = t("status." + state);
  return badge(word === "status." + state ? state : word, STATE_TONE[state] || "neutral");
};

/**
 * table renders rows as a table that becomes stacked cards on a phone.
 * columns: [{label, cell: (row) => node|string, className}].
 */
export function table(columns, rows, { empty = t("kit.nothing_here"), caption, rowClass } = {}) {
  if (!rows.length) return h("p", { class: "empty", text: empty });
  return h("div", { class: "table-wrap" },
    h("table", { class: "table" },
      caption ? h("caption", { class: "sr-only", text: caption }) : null,
      h("thead", null,
        h("tr", null, columns.map((c) => h("th", { scope: "col", class: c.className }, c.head || c.label)))),
      h("tbody", null, rows.map((r) => h("tr", { class: rowClass ? rowClass(r) : null },
        columns.map((c) => h("td", { class: c.className, data: { label: c.label || "" } }, c.cell(r))))))));
}

/** loading is a placeholder while data comes. */
export const loading = (what = t("kit.loading")) => h("p", { class: "loading", role: "status", text: what });

/** empty is a calm "nothing here" block with an optional action. */
export const emptyState = (text, action) => h("div", { class: "empty-state" }, h("p", { text }), action || null);

let toastTimer;
/** toast says something briefly in the live region (#toast, always present). */
export function toast(message, tone = "good") {
  const el = document.getElementById("toast");
  if (!el) return;
  el.className = "toast toast-" + tone;
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.textContent = "";
  }, tone === "bad" ? 8000 : 4000);
}

/**
 * confirmDialog asks before something that cannot be undone. Resolves to
 * false (cancelled) or true; with extra (e.g. a checkbox) the caller reads
 * its state after. check(form), when given, runs on confirm: false keeps
 * the dialog open (check shows why, e.g. with checkForm). confirm null
 * leaves only the cancel button (labelled cancel): a dialog that shows
 * something. wide makes room for a table or a long text.
 */
export function confirmDialog({ title, body, confirm = t("kit.delete"), cancel: cancelLabel = t("kit.cancel"),
  danger = true, extra, check, wide }) {
  return new Promise((resolve) => {
    const titleId = nextId("dlg");
    const ok = confirm === null ? null
      : button(confirm, null, { kind: danger ? "danger" : "primary", type: "submit", attrs: { value: "ok" } });
    const cancel = button(cancelLabel, null, { type: "submit", attrs: { value: "cancel", formnovalidate: true } });
    const form = h("form", { method: "dialog", novalidate: !!check },
      h("h2", { id: titleId, text: title }),
      body ? h("p", { text: body }) : null,
      extra || null,
      h("div", { class: "dialog-actions" }, cancel, ok));
    form.addEventListener("submit", (ev) => {
      if (check && ev.submitter === ok && !check(form)) ev.preventDefault();
    });
    const dlg = h("dialog", { class: ["dialog", wide && "dialog-wide"], "aria-labelledby": titleId }, form);
    dlg.addEventListener("close", () => {
      resolve(dlg.returnValue === "ok");
      dlg.remove();
    });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus();
  });
}

/**
 * ask is a confirmDialog (not dangerous) whose extra part holds form
 * controls: focus gets the focus, and Enter in a text or number field
 * confirms (the dialog's first button is Cancel).
 */
export function ask(opts, focus) {
  const shown = confirmDialog({ danger: false, ...opts });
  const form = focus.closest("form");
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target.matches("input[type=text], input[type=number]")) {
      ev.preventDefault();
      form.querySelector('button[value="ok"]').click();
    }
  });
  focus.focus();
  return shown;
}

/** copyText copies to the clipboard; false when the browser refuses. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * copyBox shows text in a read-only field with a Copy button; when the
 * clipboard is not available the text is selected for Ctrl+C.
 */
export function copyBox(label, text) {
  const out = h("input", { type: "text", readOnly: true, value: text, class: "mono", spellcheck: "false" });
  const status = h("span", { class: "copy-status", role: "status" });
  const btn = button(t("kit.copy"), async () => {
    if (await copyText(text)) {
      status.textContent = t("kit.copied");
    } else {
      out.focus();
      out.select();
      status.textContent = t("kit.copy_selected");
    }
  }, { iconName: "copy" });
  out.addEventListener("focus", () => out.select());
  const f = field(label, out);
  wrapControl(out, h("div", { class: "copy-row" }), btn);
  add(f, status);
  return f;
}
