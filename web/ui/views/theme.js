// theme.js: a portal's look: seven colours with a live preview of the
// guest page (the signed preview_url in a same-origin frame whose CSS
// custom properties follow the inputs before anything is saved), and the
// logo and icon uploads.

import * as api from "../api.js";
import { h, nextId, fill, add } from "../dom.js";
import { panel, button, errorBox, showFormError, busy, toast, checkForm } from "../kit.js";

/** COLOURS: API field, portal CSS variable, label, what it colours. */
const COLOURS = [
  ["accent_color", "--accent", "Accent", "Buttons and links"],
  ["accent_text", "--accent-text", "Text on accent", "Button labels"],
  ["text_color", "--text", "Text", "Headings and body text"],
  ["secondary_text_color", "--muted", "Secondary text", "Hints and prompts"],
  ["background_color", "--bg", "Page background", "Behind the box"],
  ["box_color", "--box", "Box", "The sign-in box"],
  ["border_color", "--border", "Borders", "Box and field edges"],
];
const DEFAULTS = { accent_text: "#ffffff", accent_color: "#0396d5", text_color: "#4f4f4f", secondary_text_color: "#6f6f6f", background_color: "#f9f9f9", border_color: "#e0e0e0", box_color: "#ffffff" };

/** hex6 turns #abc or #AABBCC into #aabbcc; "" when it is not a hex colour. */
function hex6(v) {
  v = (v || "").trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return "#" + [...v.slice(1)].map((c) => c + c).join("");
  return "";
}

function luminance(hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
/** mix is a + (b - a) * t per channel, as the portal's color-mix() draws the code field. */
function mix(a, b, t) {
  if (!a || !b) return "";
  return "#" + [1, 3, 5].map((i) => Math.round(parseInt(a.slice(i, i + 2), 16) * (1 - t) + parseInt(b.slice(i, i + 2), 16) * t).toString(16).padStart(2, "0")).join("");
}
function contrast(a, b) {
  if (!a || !b) return 21;
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}

/** themeEditor appends the Look panel to body; returns a cleanup. */
export function themeEditor(ctx, inst, body, manage) {
  const saved = { ...DEFAULTS, ...inst.theme };
  const frame = h("iframe", { class: "preview-frame", title: "Preview of the guest portal", sandbox: "allow-same-origin", loading: "lazy" });
  const frameNote = h("p", { class: "muted small" });
  const setFrame = (link) => {
    const src = api.local(link);
    if (src) frame.setAttribute("src", src);
    else frameNote.textContent = "No preview link.";
  };
  const rows = {};
  const apply = () => {
    let doc = null;
    try {
      doc = frame.contentDocument;
    } catch {
      doc = null;
    }
    if (!doc || !doc.documentElement) return;
    for (const [key, cssVar] of COLOURS) {
      const v = hex6(rows[key].text.value);
      if (v) doc.documentElement.style.setProperty(cssVar, v);
    }
  };
  frame.addEventListener("load", () => {
    apply();
    let ok = false;
    try {
      ok = !!frame.contentDocument && frame.contentDocument.location.href !== "about:blank";
    } catch {
      ok = false;
    }
    frameNote.textContent = ok ? "Live preview: changes show here before you save. Buttons are disabled in the preview." : "The preview cannot follow your changes here; save to see them.";
  });
  const warn = h("p", { class: "alert alert-warn", role: "status", hidden: true });
  const dirty = h("span", { class: "muted small", role: "status" });
  const checkContrast = () => {
    const v = (k) => hex6(rows[k].text.value);
    const issues = [];
    if (contrast(v("accent_color"), v("accent_text")) < 3) issues.push("button labels are hard to read on the accent colour");
    if (contrast(v("box_color"), v("text_color")) < 4.5) issues.push("text is hard to read on the box colour");
    // Hints and the code field's example text are secondary text on the
    // box (and the field, the box mixed with 6 % text); WCAG AA asks 4.5:1.
    const hint = Math.min(contrast(v("box_color"), v("secondary_text_color")), contrast(mix(v("box_color"), v("text_color"), 0.06), v("secondary_text_color")));
    if (hint < 4.5) issues.push(`hints and the code field's example are hard to read (secondary text ${hint.toFixed(1)}:1 on the box, needs 4.5:1)`);
    warn.hidden = !issues.length;
    warn.textContent = issues.length ? "Low contrast: " + issues.join("; ") + "." : "";
    const changed = COLOURS.some(([k]) => hex6(rows[k].text.value) !== hex6(saved[k]));
    dirty.textContent = changed ? "Unsaved changes" : "";
  };
  const list = h("div", { class: "colour-list" }, COLOURS.map(([key, , label, what]) => {
    const val = hex6(saved[key]) || DEFAULTS[key];
    const textId = nextId();
    const picker = h("input", { type: "color", value: val, "aria-label": `${label}: pick a colour`, disabled: !manage });
    const text = h("input", { type: "text", id: textId, name: key, value: val, class: "mono hex", maxlength: 7, spellcheck: "false", autocomplete: "off", disabled: !manage, "aria-describedby": textId + "-hint" });
    picker.addEventListener("input", () => {
      text.value = picker.value;
      text.removeAttribute("aria-invalid");
      apply();
      checkContrast();
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
      checkContrast();
    });
    rows[key] = { picker, text };
    return h("div", { class: "colour-row field" }, picker,
      h("div", { class: "colour-label" }, h("label", { for: textId, text: label }), h("span", { class: "muted small", id: textId + "-hint", text: what })),
      text, h("p", { class: "field-error", hidden: true }));
  }));
  const err = errorBox();
  const save = button("Save look", null, { kind: "primary", type: "submit" });
  const reset = button("Default colours", () => {
    for (const [key] of COLOURS) {
      rows[key].text.value = DEFAULTS[key];
      rows[key].picker.value = DEFAULTS[key];
    }
    apply();
    checkContrast();
  }, { kind: "ghost" });
  const form = h("form", { class: "form theme-form", novalidate: true }, err.el, list, warn,
    manage ? h("div", { class: "form-actions" }, save, reset, dirty) : null);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const theme = {};
    for (const [key, , label] of COLOURS) {
      const v = hex6(rows[key].text.value);
      if (!v) return showFormError(form, err, { message: `${label} must be a colour like #0396d5.`, param: key });
      theme[key] = v;
    }
    await busy(save, "Saving…", async () => {
      try {
        const res = await api.put("/captive/instances/" + api.seg(inst.id), { theme });
        Object.assign(saved, res.theme);
        checkContrast();
        toast("Look saved.");
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });

  const images = manage ? h("div", { class: "images" }, imageSlot(inst, "logo", "Logo", "PNG, JPEG or GIF up to 2 MB, at least 120 × 80 px. Shown above the sign-in box and on coupon cards.", refresh),
    imageSlot(inst, "icon", "Icon", "Square, at least 32 × 32 px. Shown in the browser tab.", refresh)) : null;

  async function refresh() {
    const fresh = await api.get("/captive/instances/" + api.seg(inst.id));
    inst = fresh;
    setFrame(fresh.preview_url);
    return fresh;
  }

  add(body, panel("Look",
    h("div", { class: "theme-editor" },
      h("div", { class: "theme-controls" }, form, images),
      h("div", { class: "theme-preview" }, h("div", { class: "phone" }, frame), frameNote))));
  setFrame(inst.preview_url);
  checkContrast();
  return () => {};
}

/** imageSlot shows the current logo or icon and uploads a new one. */
function imageSlot(inst, type, label, hint, refresh) {
  const fileId = nextId();
  const current = () => inst.theme && inst.theme[type];
  const preview = h("div", { class: "image-preview image-" + type });
  const status = h("p", { class: "small", role: "status" });
  const err = errorBox();
  const draw = (link) => {
    fill(preview, link ? h("img", { src: api.local(link), alt: `Current ${label.toLowerCase()}` }) : h("span", { class: "muted small", text: `No ${label.toLowerCase()} yet` }));
  };
  const file = h("input", { type: "file", id: fileId, name: "file", accept: "image/png,image/jpeg,image/gif", class: "file-input" });
  const pick = button(current() ? `Replace ${label.toLowerCase()}` : `Upload ${label.toLowerCase()}`, () => file.click(), { iconName: "plus", small: true });
  file.addEventListener("change", () => {
    const f = file.files && file.files[0];
    if (!f) return;
    err.clear();
    busy(pick, "Uploading…", async () => {
      const fd = new FormData();
      fd.append("file", f, f.name);
      try {
        await api.post(`/captive/instances/${api.seg(inst.id)}/images/${type}`, fd);
        const fresh = await refresh();
        inst = fresh;
        draw(fresh.theme && fresh.theme[type]);
        status.textContent = `${label} uploaded.`;
        toast(`${label} uploaded.`);
      } catch (e) {
        err.show(e, `The ${label.toLowerCase()} was not accepted.`);
      } finally {
        file.value = "";
      }
    });
  });
  draw(current());
  return h("div", { class: "image-slot" },
    h("div", { class: "image-head" }, h("label", { for: fileId, class: "strong", text: label }), h("p", { class: "muted small", text: hint })),
    preview, file, pick, err.el, status);
}
