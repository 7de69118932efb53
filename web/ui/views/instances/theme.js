// theme.js: a portal's look: seven colours with a live preview of the
// guest page (the signed preview_url in a same-origin frame whose CSS
// custom properties follow the inputs before anything is saved), and the
// logo and icon uploads. The parts are in theme/.

import * as api from "../../api.js";
import { h, nextId, add } from "../../dom.js";
import { panel, button, errorBox, showFormError, busy, toast, checkForm } from "../../kit.js";
import { hex6, mix, contrast } from "./theme/colour.js";
import { livePreview } from "./theme/preview.js";
import { imageSlot } from "./theme/images.js";
import { t } from "../../i18n.js";
import { number } from "../../format.js";

/** COLOURS: API field, portal CSS variable, the key of its label (+ "_what": what it colours). */
const COLOURS = [
  ["accent_color", "--accent", "theme.accent"],
  ["accent_text", "--accent-text", "theme.accent_text"],
  ["text_color", "--text", "theme.text"],
  ["secondary_text_color", "--muted", "theme.secondary"],
  ["background_color", "--bg", "theme.background"],
  ["box_color", "--box", "theme.box"],
  ["border_color", "--border", "theme.border"],
];
const DEFAULTS = { accent_text: "#ffffff", accent_color: "#0396d5", text_color: "#4f4f4f",
  secondary_text_color: "#6f6f6f", background_color: "#f9f9f9", border_color: "#e0e0e0", box_color: "#ffffff" };

/** themeEditor appends the Look panel to body; returns a cleanup. */
export function themeEditor(ctx, inst, body, manage) {
  const saved = { ...DEFAULTS, ...inst.theme };
  const rows = {};
  const value = (key) => hex6(rows[key].text.value);
  const preview = livePreview(() => COLOURS.map(([key, cssVar]) => [cssVar, value(key)]));
  const warn = h("p", { class: "alert alert-warn", role: "status", hidden: true });
  const dirty = h("span", { class: "muted small", role: "status" });
  const changed = () => {
    preview.apply();
    checkContrast();
  };
  const checkContrast = () => {
    const issues = contrastIssues(value);
    warn.hidden = !issues.length;
    warn.textContent = issues.length ? t("theme.low_contrast", { issues: issues.join("; ") }) : "";
    dirty.textContent = COLOURS.some(([k]) => value(k) !== hex6(saved[k])) ? t("theme.unsaved") : "";
  };
  const list = h("div", { class: "colour-list" }, COLOURS.map(([key, , label]) => {
    rows[key] = colourRow(key, t(label), t(label + "_what"), hex6(saved[key]) || DEFAULTS[key], manage, preview.apply, checkContrast);
    return rows[key].el;
  }));
  const form = themeForm(inst, rows, saved, { list, warn, dirty, manage, reset: () => {
    for (const [key] of COLOURS) {
      rows[key].text.value = DEFAULTS[key];
      rows[key].picker.value = DEFAULTS[key];
    }
    changed();
  }, saved: checkContrast });
  const refresh = async () => {
    const fresh = await api.get("/captive/instances/" + api.seg(inst.id));
    inst = fresh;
    preview.show(fresh.preview_url);
    return fresh;
  };
  const images = manage ? h("div", { class: "images" }, imageSlot(inst, "logo", t("theme.logo"), t("theme.logo_hint"), refresh),
    imageSlot(inst, "icon", t("theme.icon"), t("theme.icon_hint"), refresh)) : null;
  add(body, panel(t("theme.look"),
    h("div", { class: "theme-editor" },
      h("div", { class: "theme-controls" }, form, images),
      h("div", { class: "theme-preview" }, h("div", { class: "phone" }, preview.frame), preview.note))));
  preview.show(inst.preview_url);
  checkContrast();
  return () => {};
}

/** contrastIssues says which colour pairs are hard to read; value(key) is a colour of the form. */
function contrastIssues(value) {
  const issues = [];
  if (contrast(value("accent_color"), value("accent_text")) < 3) {
    issues.push(t("theme.hard_buttons"));
  }
  if (contrast(value("box_color"), value("text_color")) < 4.5) issues.push(t("theme.hard_text"));
  // Hints and the code field's example text are secondary text on the
  // box (and the field, the box mixed with 6 % text); WCAG AA asks 4.5:1.
  const field = mix(value("box_color"), value("text_color"), 0.06);
  const hint = Math.min(contrast(value("box_color"), value("secondary_text_color")),
    contrast(field, value("secondary_text_color")));
  if (hint < 4.5) {
    issues.push(t("theme.hard_hints", { ratio: number(Math.floor(hint * 10) / 10) }));
  }
  return issues;
}

/** colourRow is a colour picker and its hex field, kept in step; apply and check run on a change. */
function colourRow(key, label, what, val, manage, apply, check) {
  const textId = nextId();
  const picker = h("input", { type: "color", value: val, "aria-label": t("theme.pick", { label }), disabled: !manage });
  const text = h("input", { type: "text", id: textId, name: key, value: val, class: "mono hex", maxlength: 7,
    spellcheck: "false", autocomplete: "off", disabled: !manage, "aria-describedby": textId + "-hint" });
  picker.addEventListener("input", () => {
    text.value = picker.value;
    text.removeAttribute("aria-invalid");
    apply();
    check();
  });
  text.addEventListener("input", () => {
    const v = hex6(text.value);
    if (v) {
      picker.value = v;
      text.removeAttribute("aria-invalid");
      apply();
    } else {
      text.setAttribute("aria-invalid", "true");
    }
    check();
  });
  const el = h("div", { class: "colour-row field" }, picker,
    h("div", { class: "colour-label" }, h("label", { for: textId, text: label }),
      h("span", { class: "muted small", id: textId + "-hint", text: what })),
    text, h("p", { class: "field-error", hidden: true }));
  return { picker, text, el };
}

/** themeForm saves the colours of rows into saved; parts are its list, warning and unsaved note. */
function themeForm(inst, rows, saved, { list, warn, dirty, manage, reset, saved: onSaved }) {
  const err = errorBox();
  const save = button(t("theme.save"), null, { kind: "primary", type: "submit" });
  const resetBtn = button(t("theme.defaults"), reset, { kind: "ghost" });
  const form = h("form", { class: "form theme-form", novalidate: true }, err.el, list, warn,
    manage ? h("div", { class: "form-actions" }, save, resetBtn, dirty) : null);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const theme = {};
    for (const [key, , label] of COLOURS) {
      const v = hex6(rows[key].text.value);
      if (!v) return showFormError(form, err, { message: t("theme.not_colour", { label: t(label) }), param: key });
      theme[key] = v;
    }
    await busy(save, t("planform.saving"), async () => {
      try {
        const res = await api.put("/captive/instances/" + api.seg(inst.id), { theme });
        Object.assign(saved, res.theme);
        onSaved();
        toast(t("theme.saved"));
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  return form;
}
