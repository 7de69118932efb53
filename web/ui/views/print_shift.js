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
import { t } from "../i18n.js";

/** details: what each layout prints a report on. */
const details = () => ({ a4: t("printshift.full_page"), letter: t("printshift.full_page"),
  "58mm": t("printshift.roll"), "80mm": t("printshift.roll") });

export async function printShiftView(ctx) {
  const id = ctx.params.get("shift") || "";
  const back = ctx.can("shifts.read") && id
    ? { href: "#/sales/" + encodeURIComponent(id), label: t("printshift.shift") }
    : { href: "#/coupons", label: t("nav.coupons") };
  const p = page(t("nav.print_shift"), { back });
  p.el.classList.add("print-page");
  add(ctx.main, p.el);
  const err = errorBox();
  add(p.body, err.el, loading(t("printshift.preparing")));
  let rep;
  try {
    if (!id) throw new Error(t("printshift.no_shift"));
    rep = await api.get(shiftPath(id));
  } catch (e) {
    fill(p.body, err.el);
    err.show(e, t("printshift.failed"));
    return;
  }
  const doc = zReport(rep, { venue: venueOf(ctx) });
  const view = { layout: savedLayout(), styled: Promise.resolve() };
  const sheet = h("div", { class: "print-area", "aria-label": t("printshift.area") });
  const draw = () => {
    sheet.className = "print-area layout-" + view.layout;
    delete sheet.dataset.pageLength;
    fill(sheet, h("div", { class: "sheet-page" }, doc));
    view.styled = setPrintLayout(view.layout).then(() => fitRoll(sheet, view.layout));
  };
  const printBtn = button(t("print.print"), () => view.styled.then(() => window.print()),
    { kind: "primary", iconName: "print" });
  const chooser = layoutChooser(view.layout, (layout) => { view.layout = layout; draw(); }, details());
  const what = t(rep.kind === "z" ? "printshift.z_of" : "printshift.x_of", { clerk: rep.shift.actor_name });
  fill(p.body, h("div", { class: "print-toolbar panel" }, chooser,
    h("div", { class: "print-go" }, h("p", { class: "muted", text: what }), printBtn)), sheet);
  draw();
  return () => document.getElementById("print-css")?.remove();
}
