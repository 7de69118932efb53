// print.js: coupon cards ready to print. The layout (A4 or Letter sheets of
// cards, 58 mm or 80 mm receipt slips) picks a print stylesheet with the
// matching @page size; window.print() does the rest. Receipt slips go on
// continuous roll paper: each slip is a page as long as its content, measured
// here and set as the @page size. Codes that can no longer be used are left
// out unless asked for.

import * as api from "../api.js";
import { h, nextId, fill, add } from "../dom.js";
import { page, loading, button, errorBox } from "../kit.js";
import { currentJob, saveJob } from "../print_job.js";

const LAYOUT_KEY = "gatehouse.printLayout";

/** LAYOUTS: id, label, cards per printed page, stylesheet. */
export const LAYOUTS = [
  { id: "a4", label: "A4 sheet", detail: "10 cards per page", perPage: 10 },
  { id: "letter", label: "Letter sheet", detail: "10 cards per page", perPage: 10 },
  { id: "58mm", label: "58 mm receipt", detail: "one slip per code, roll paper", perPage: 1, roll: true, width: 58 },
  { id: "80mm", label: "80 mm receipt", detail: "one slip per code, roll paper", perPage: 1, roll: true, width: 80 },
];

/**
 * setPrintLayout switches the print stylesheet (a <link>, as inline styles
 * are not allowed) and resolves once it is loaded.
 */
function setPrintLayout(id) {
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
async function fitRoll(sheet, layout) {
  const l = LAYOUTS.find((x) => x.id === layout);
  const link = document.getElementById("print-css");
  if (!l || !l.roll || !link || !link.sheet) return 0;
  await Promise.all([...sheet.querySelectorAll("img")].map((img) => img.decode().catch(() => {})));
  const px = Math.max(0, ...[...sheet.querySelectorAll(".sheet-page")].map((p) => p.getBoundingClientRect().height));
  if (!px) return 0;
  const mm = Math.ceil((px * 25.4) / 96) + 1;
  const css = link.sheet;
  const old = [...css.cssRules].indexOf(fitted);
  if (old >= 0) css.deleteRule(old);
  fitted = css.cssRules[css.insertRule(`@page { size: ${l.width}mm ${mm}mm; margin: 0; }`, css.cssRules.length)];
  sheet.dataset.pageLength = String(mm);
  return mm;
}

export async function printView(ctx) {
  const job = currentJob(ctx.params);
  const back = job && job.run_id ? "#/schedules?instance=" + encodeURIComponent(job.instance) : "#/coupons" + (job ? "?instance=" + encodeURIComponent(job.instance) : "");
  const p = page("Print coupons", { back: { href: back, label: job && job.run_id ? "Schedules" : "Coupons" } });
  add(ctx.main, p.el);
  p.el.classList.add("print-page");
  if (!job) {
    add(p.body, h("p", { class: "empty", text: "Nothing to print. Choose codes under Coupons first." }));
    return;
  }
  const err = errorBox();
  add(p.body, err.el, loading("Preparing cards…"));
  let data;
  try {
    const body = job.run_id ? { run_id: job.run_id } : { coupon_ids: job.coupon_ids };
    data = await api.post(`/captive/instances/${api.seg(job.instance)}/coupons/cards`, body);
  } catch (e) {
    fill(p.body, err.el);
    err.show(e, "The cards could not be prepared.");
    return;
  }
  let layout = localStorage.getItem(LAYOUT_KEY);
  if (!LAYOUTS.some((l) => l.id === layout)) layout = "a4";
  const sheet = h("div", { class: "print-area", "aria-label": "Cards to print" });
  const group = nextId("layout");
  const chooser = h("fieldset", { class: "layout-choice" }, h("legend", { text: "Layout" }),
    LAYOUTS.map((l) => {
      const id = nextId();
      const r = h("input", { type: "radio", name: group, id, value: l.id, checked: l.id === layout });
      r.addEventListener("change", () => {
        layout = l.id;
        localStorage.setItem(LAYOUT_KEY, layout);
        draw();
      });
      return h("div", { class: "layout-option" }, r, h("label", { for: id }, h("strong", { text: l.label }), h("span", { text: l.detail })));
    }));
  let styled = Promise.resolve(); // the layout's stylesheet, loaded and the roll fitted
  const printBtn = button("Print", () => styled.then(() => window.print()), { kind: "primary", iconName: "print" });
  const summary = h("p", { class: "muted", role: "status" });
  const inUse = data.cards.filter((c) => c.status !== "valid").length;
  let withVoid = false;
  const voidId = nextId();
  const voidBox = h("input", { type: "checkbox", id: voidId, name: "include_void" });
  voidBox.addEventListener("change", () => { withVoid = voidBox.checked; draw(); });
  const voidNote = h("span");
  fill(p.body,
    h("div", { class: "print-toolbar panel" }, chooser, h("div", { class: "print-go" }, summary, printBtn)),
    inUse ? h("div", { class: "alert alert-warn print-void" }, voidNote,
      h("div", { class: "field field-check" }, h("label", { for: voidId }, voidBox, h("span", { text: `Print them anyway (${inUse})` })))) : null,
    sheet);

  function draw() {
    const cards = withVoid ? data.cards : data.cards.filter((c) => c.status === "valid");
    voidNote.textContent = `${inUse} of these codes can no longer be used (used, expired or revoked). ` +
      (withVoid ? "They are printed, marked as no longer valid." : "They are left out.");
    const l = LAYOUTS.find((x) => x.id === layout);
    const pages = [];
    for (let i = 0; i < cards.length; i += l.perPage) pages.push(cards.slice(i, i + l.perPage));
    sheet.className = "print-area layout-" + layout;
    const grid = l.perPage > 1;
    fill(sheet, pages.map((group) => h("div", { class: "sheet-page" },
      grid ? h("div", { class: "sheet-grid" }, group.map((c) => card(data.instance, c))) : group.map((c) => card(data.instance, c)))));
    const n = cards.length;
    summary.textContent = n ? `${n} ${n === 1 ? "card" : "cards"} for ${data.instance.name}` +
      (l.perPage > 1 ? ` · ${pages.length} ${pages.length === 1 ? "page" : "pages"}` : ` · ${n} ${n === 1 ? "slip" : "slips"}`)
      : "None of these codes can still be used.";
    printBtn.disabled = !n;
    delete sheet.dataset.pageLength;
    styled = setPrintLayout(layout).then(() => fitRoll(sheet, layout));
  }
  draw();
  if (job.autoprint) {
    // Print one: straight to the print dialog, once (not again on reload).
    saveJob({ ...job, autoprint: false });
    styled.then(() => { if (!printBtn.disabled) window.print(); });
  }
  return () => document.getElementById("print-css")?.remove();
}

/** card is one coupon as a guest gets it, worded in the portal's language (inst.text). */
function card(inst, c) {
  const wifi = inst.wifi_name ? inst.wifi_name.trim() : "";
  const text = inst.text || {};
  const lang = text.lang || undefined;
  const how = text.how || (wifi
    ? `Join “${wifi}”, open any web page, then enter the code or scan the QR code.`
    : "Join the guest Wi-Fi, open any web page, then enter the code or scan the QR code.");
  return h("article", { class: ["coupon-card", c.status !== "valid" && "is-void"], lang },
    h("div", { class: "cc-main" },
      h("div", { class: "cc-head" },
        inst.logo_url ? h("img", { class: "cc-logo", src: api.local(inst.logo_url), alt: inst.name }) : h("p", { class: "cc-venue", text: inst.name })),
      wifi ? h("p", { class: "cc-wifi" }, "Wi-Fi ", h("strong", { text: wifi })) : null,
      h("p", { class: "cc-code", text: spaced(c.code) }),
      h("p", { class: "cc-meta" }, `${text.valid_until || "Valid until"} `, h("strong", { text: cardTime(c.expires_at, lang) })),
      h("p", { class: "cc-meta" }, h("strong", { text: localDuration(inst.session_ttl, lang) }), ` ${text.internet || "of internet once used"}`),
      c.status !== "valid" ? h("p", { class: "cc-void", text: `${text.void || "No longer valid"} (${c.status})` }) : null),
    h("div", { class: "cc-side" },
      h("img", { class: "cc-qr", src: api.local(c.qr), alt: `QR code that opens the Wi-Fi sign-in with code ${c.code}` })),
    h("p", { class: "cc-how", text: how }),
    h("div", { class: "cc-cut", "aria-hidden": "true" }));
}

/** cardTime: "Nov 27, 5:06 AM" in the card's language and the reader's time zone. */
function cardTime(iso, lang) {
  const d = new Date(iso);
  if (isNaN(d)) return "";
  return new Intl.DateTimeFormat(lang, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).format(d);
}

/** localDuration: "2 hours", "2 horas", "1 day, 6 hours" in the card's language. */
function localDuration(seconds, lang) {
  seconds = Math.max(0, Math.round(seconds || 0));
  const parts = [];
  const unit = (n, u) => new Intl.NumberFormat(lang, { style: "unit", unit: u, unitDisplay: "long" }).format(n);
  const d = Math.floor(seconds / 86400), hr = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
  if (d) parts.push(unit(d, "day"));
  if (hr) parts.push(unit(hr, "hour"));
  if (m && !d) parts.push(unit(m, "minute"));
  return parts.length ? parts.join(", ") : unit(0, "minute");
}

/** spaced groups a long code for reading aloud: ABCD EFGH; 6-character codes stay whole. */
function spaced(code) {
  if (code.length <= 7) return code;
  return code.match(/.{1,4}/g).join(" ");
}
