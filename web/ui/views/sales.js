// sales.js: the Sales view for operators and admins: the shifts at the
// desk with their takings and cash differences (sales/shifts.js), one
// shift's report to read and print (sales/shift.js), and the sales ledger
// with its filters, CSV export and check of the chain (sales/ledger.js).

import { add } from "../dom.js";
import { page, linkButton } from "../kit.js";
import { shiftList } from "./sales/shifts.js";
import { ledgerPanel } from "./sales/ledger.js";
import { t } from "../i18n.js";

export { shiftDetail } from "./sales/shift.js";

export async function sales(ctx) {
  const p = page(t("nav.sales"), {
    lead: t("salespage.lead"),
    actions: ctx.can("reports.read") ? [linkButton(t("nav.reports"), "#/reports", { iconName: "chart" })] : null,
  });
  add(ctx.main, p.el);
  const shifts = shiftList(ctx);
  const ledger = ledgerPanel(ctx);
  add(p.body, shifts.el, ledger.el);
  await Promise.all([shifts.load(), ledger.load()]);
}
