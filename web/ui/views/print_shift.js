// print_shift.js: a shift's report ready to print (print view of
// z_report.js): on an A4 or Letter sheet, or on 58 mm or 80 mm receipt
// paper, with the print layouts and stylesheets of the coupon cards
// (print/layout.js); a receipt's page is as long as the report.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, button, errorBox, loading } from "../kit.js";
import { savedLayout, layoutChooser, setPrintLayout, fitRoll } from "./print/layout.js";
import { shiftPath } from "../shift_desk.js";
import { zReport, venueOf } from "../z_report.js";

/** DETAILS: what each layout prints a report on. */
const DETAILS = { a4: "full page", letter: "full page", "58mm": "receipt roll", "80mm": "receipt roll" };

export async function printShiftView(ctx) {
  const id = ctx.params.get("shift") || "";
  const back = ctx.can("shifts.read") && id
    ? { href: "#/sales/" + encodeURIComponent(id), label: "Shift" } : { href: "#/coupons", label: "Coupons" };
  const p = page("Print shift report", { back });
  p.el.classList.add("print-page");
  add(ctx.main, p.el);
  const err = errorBox();
  add(p.body, err.el, loading("Preparing the report…"));
  let rep;
  try {
    if (!id) throw new Error("No shift was chosen. Open a shift's report first.");
    rep = await api.get(shiftPath(id));
  } catch (e) {
    fill(p.body, err.el);
    err.show(e, "The report could not be prepared.");
    return;
  }
  const doc = zReport(rep, { venue: venueOf(ctx) });
  const view = { layout: savedLayout(), styled: Promise.resolve() };
  const sheet = h("div", { class: "print-area", "aria-label": "Report to print" });
  const draw = () => {
    sheet.className = "print-area layout-" + view.layout;
    delete sheet.dataset.pageLength;
    fill(sheet, h("div", { class: "sheet-page" }, doc));
    view.styled = setPrintLayout(view.layout).then(() => fitRoll(sheet, view.layout));
  };
  const printBtn = button("Print", () => view.styled.then(() => window.print()),
    { kind: "primary", iconName: "print" });
  const chooser = layoutChooser(view.layout, (layout) => { view.layout = layout; draw(); }, DETAILS);
  const what = `${rep.kind === "z" ? "Z-report" : "X-report"} of ${rep.shift.actor_name}`;
  fill(p.body, h("div", { class: "print-toolbar panel" }, chooser,
    h("div", { class: "print-go" }, h("p", { class: "muted", text: what }), printBtn)), sheet);
  draw();
  return () => document.getElementById("print-css")?.remove();
}
