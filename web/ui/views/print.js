// print.js: coupon cards ready to print. The layout (A4 or Letter sheets of
// cards, 58 mm or 80 mm receipt slips) picks a print stylesheet with the
// matching @page size; window.print() does the rest. Receipt slips go on
// continuous roll paper: each slip is a page as long as its content, measured
// here and set as the @page size. Codes that can no longer be used are left
// out unless asked for. The layouts are in print/layout.js, the card in
// print/card.js.

import * as api from "../api.js";
import { h, nextId, fill, add } from "../dom.js";
import { page, loading, button, errorBox } from "../kit.js";
import { currentJob, saveJob } from "../print_job.js";
import { LAYOUTS, savedLayout, layoutChooser, setPrintLayout, fitRoll } from "./print/layout.js";
import { card } from "./print/card.js";
import { t, tn } from "../i18n.js";

export async function printView(ctx) {
  const job = currentJob(ctx.params);
  const p = page(t("nav.print"), { back: backLink(job) });
  add(ctx.main, p.el);
  p.el.classList.add("print-page");
  if (!job) {
    add(p.body, h("p", { class: "empty", text: t("print.nothing") }));
    return;
  }
  const data = await loadCards(job, p.body);
  if (!data) return;
  // styled: the layout's stylesheet, loaded and the roll fitted
  const view = { data, layout: savedLayout(), withVoid: false, styled: Promise.resolve() };
  view.sheet = h("div", { class: "print-area", "aria-label": t("print.area") });
  view.summary = h("p", { class: "muted", role: "status" });
  view.printBtn = button(t("print.print"), () => view.styled.then(() => window.print()),
    { kind: "primary", iconName: "print" });
  const chooser = layoutChooser(view.layout, (id) => { view.layout = id; draw(view); });
  fill(p.body,
    h("div", { class: "print-toolbar panel" }, chooser, h("div", { class: "print-go" }, view.summary, view.printBtn)),
    voidChoice(view),
    view.sheet);
  draw(view);
  if (job.autoprint) {
    // Print one: straight to the print dialog, once (not again on reload).
    saveJob({ ...job, autoprint: false });
    view.styled.then(() => { if (!view.printBtn.disabled) window.print(); });
  }
  return () => document.getElementById("print-css")?.remove();
}

/** backLink goes back to where the job came from: a schedule's runs or the coupon list. */
function backLink(job) {
  if (job && job.run_id) {
    return { href: "#/schedules?instance=" + encodeURIComponent(job.instance), label: t("nav.schedules") };
  }
  return { href: "#/coupons" + (job ? "?instance=" + encodeURIComponent(job.instance) : ""), label: t("nav.coupons") };
}

/** loadCards asks the API for the job's cards; null (with the error shown in body) when it fails. */
async function loadCards(job, body) {
  const err = errorBox();
  add(body, err.el, loading(t("print.preparing")));
  try {
    const req = job.run_id ? { run_id: job.run_id } : { coupon_ids: job.coupon_ids };
    return await api.post(`/captive/instances/${api.seg(job.instance)}/coupons/cards`, req);
  } catch (e) {
    fill(body, err.el);
    err.show(e, t("print.failed"));
    return null;
  }
}

/** voidChoice is the warning about codes that can no longer be used, with "Print them anyway"; null if none. */
function voidChoice(view) {
  view.inUse = view.data.cards.filter((c) => c.status !== "valid").length;
  view.voidNote = h("span");
  const voidId = nextId();
  if (!view.inUse) return null;
  const voidBox = h("input", { type: "checkbox", id: voidId, name: "include_void" });
  voidBox.addEventListener("change", () => { view.withVoid = voidBox.checked; draw(view); });
  return h("div", { class: "alert alert-warn print-void" }, view.voidNote,
    h("div", { class: "field field-check" },
      h("label", { for: voidId }, voidBox, h("span", { text: t("print.anyway", { n: view.inUse }) }))));
}

/** draw lays the cards out in pages for the chosen layout, and loads its stylesheet. */
function draw(view) {
  const { data, layout, sheet, summary, printBtn, inUse, withVoid } = view;
  const cards = withVoid ? data.cards : data.cards.filter((c) => c.status === "valid");
  view.voidNote.textContent = tn("print.void_note", inUse) + " " + (withVoid ? t("print.void_marked") : t("print.void_left_out"));
  const l = LAYOUTS.find((x) => x.id === layout);
  const pages = [];
  for (let i = 0; i < cards.length; i += l.perPage) pages.push(cards.slice(i, i + l.perPage));
  sheet.className = "print-area layout-" + layout;
  const grid = l.perPage > 1;
  fill(sheet, pages.map((group) => h("div", { class: "sheet-page" },
    grid ? h("div", { class: "sheet-grid" }, group.map((c) => card(data.instance, c)))
      : group.map((c) => card(data.instance, c)))));
  const n = cards.length;
  summary.textContent = n ? tn("print.cards_for", n, { venue: data.instance.name }) +
    " · " + (grid ? tn("print.pages", pages.length) : tn("print.slips", n))
    : t("print.none_usable");
  printBtn.disabled = !n;
  delete sheet.dataset.pageLength;
  view.styled = setPrintLayout(layout).then(() => fitRoll(sheet, layout));
}
