// shift.js: one shift in the Sales view: its report (a Z-report once
// closed) with Print, and its entries in the sales ledger.

import * as api from "../../api.js";
import { h, add } from "../../dom.js";
import { page, button } from "../../kit.js";
import { dateTime } from "../../format.js";
import { shiftPath, printShift } from "../../shift_desk.js";
import { zReport, venueOf } from "../../z_report.js";
import { ledgerPanel } from "./ledger.js";
import { t } from "../../i18n.js";

export async function shiftDetail(ctx) {
  const id = ctx.segments[1];
  const rep = await api.get(shiftPath(id));
  const s = rep.shift;
  const p = page(t("salespage.shift_of", { clerk: s.actor_name }), {
    back: { href: "#/sales", label: t("nav.sales") },
    lead: s.closed_at ? t("salespage.from_to", { from: dateTime(s.opened_at), to: dateTime(s.closed_at) })
      : t("salespage.open_since", { time: dateTime(s.opened_at) }),
    actions: [button(rep.kind === "z" ? t("shift.print_z") : t("salespage.print_x"), () => printShift(ctx, id),
      { kind: "primary", iconName: "print" })],
  });
  add(ctx.main, p.el);
  const ledger = ledgerPanel(ctx, { shift: id });
  const report = h("div", { class: "z-report-box" }, zReport(rep, { venue: venueOf(ctx) }));
  add(p.body, h("section", { class: "panel" }, report), ledger.el);
  await ledger.load();
}
