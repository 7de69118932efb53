// layout.js: the print layouts (A4 or Letter sheets of cards, 58 mm or
// 80 mm receipt slips), the one remembered in localStorage, the chooser,
// and the print stylesheet with its @page size.

import { h, nextId } from "../../dom.js";
import { t } from "../../i18n.js";

const LAYOUT_KEY = "gatehouse.printLayout";

/** LAYOUTS: id, the keys of its name and line, cards per printed page, stylesheet. */
export const LAYOUTS = [
  { id: "a4", label: "layout.a4", detail: "layout.sheet_detail", perPage: 10 },
  { id: "letter", label: "layout.letter", detail: "layout.sheet_detail", perPage: 10 },
  { id: "58mm", label: "layout.58mm", detail: "layout.roll_detail", perPage: 1, roll: true, width: 58 },
  { id: "80mm", label: "layout.80mm", detail: "layout.roll_detail", perPage: 1, roll: true, width: 80 },
];

/**
 * setPrintLayout switches the print stylesheet (a <link>, as inline styles
 * are not allowed) and resolves once it is loaded.
 */
export function setPrintLayout(id) {
  let link = document.getElementById("print-css");
  const href = `/ui/print-${id}.css`;
  if (link && link.getAttribute("href") === href) return Promise.resolve();
  return new Promise((resolve) => {
    const next = h("link", { id: "print-css", rel: "stylesheet", href });
    next.addEventListener("load", resolve, { once: true });
    next.addEventListener("error", resolve, { once: true });
    if (link) link.replaceWith(next);
    else document.head.append(next);
  });
}

/**
 * fitRoll makes the page of a receipt layout as long as its longest slip:
 * Chromium has no page length that follows the content, so the slips are
 * measured (their screen size is their printed size) and an @page rule is
 * added to the layout's stylesheet through the CSSOM (inline styles are not
 * allowed). It resolves to the page length in mm, or 0 for sheet layouts.
 */
let fitted = null; // the @page rule fitRoll added last
export async function fitRoll(sheet, layout) {
  const l = LAYOUTS.find((x) => x.id === layout);
  const link = document.getElementById("print-css");
  if (!l || !l.roll || !link || !link.sheet) return 0;
  await Promise.all([...sheet.querySelectorAll("img")].map((img) => img.decode().catch(() => {})));
  const heights = [...sheet.querySelectorAll(".sheet-page")].map((p) => p.getBoundingClientRect().height);
  const px = Math.max(0, ...heights);
  if (!px) return 0;
  const mm = Math.ceil((px * 25.4) / 96) + 1;
  const css = link.sheet;
  const old = [...css.cssRules].indexOf(fitted);
  if (old >= 0) css.deleteRule(old);
  const at = css.insertRule(`@page { size: ${l.width}mm ${mm}mm; margin: 0; }`, css.cssRules.length);
  fitted = css.cssRules[at];
  sheet.dataset.pageLength = String(mm);
  return mm;
}

/** savedLayout is the layout used last, else A4. */
export function savedLayout() {
  const layout = localStorage.getItem(LAYOUT_KEY);
  return LAYOUTS.some((l) => l.id === layout) ? layout : "a4";
}

/**
 * layoutChooser is the Layout radio group; a choice is remembered, then
 * passed to onPick. details (optional) words a layout's line under its
 * name for what is printed (by layout id), instead of the cards'.
 */
export function layoutChooser(layout, onPick, details = {}) {
  const group = nextId("layout");
  return h("fieldset", { class: "layout-choice" }, h("legend", { text: t("layout.legend") }),
    LAYOUTS.map((l) => {
      const id = nextId();
      const r = h("input", { type: "radio", name: group, id, value: l.id, checked: l.id === layout });
      r.addEventListener("change", () => {
        localStorage.setItem(LAYOUT_KEY, l.id);
        onPick(l.id);
      });
      return h("div", { class: "layout-option" }, r,
        h("label", { for: id }, h("strong", { text: t(l.label) }),
          h("span", { text: details[l.id] || t(l.detail, { n: l.perPage }) })));
    }));
}
