// tables.js: the Reports view's tables: sales by period and plan with the
// totals per currency, and the use of the guest Wi-Fi per period.

import { h } from "../../dom.js";
import { table } from "../../kit.js";
import { amount, dataSize, periodName } from "../../format.js";

/** salesTable: a row per period, plan and currency, then a total row per currency. */
export function salesTable(report) {
  const totals = new Map();
  for (const r of report.rows) {
    const t = totals.get(r.currency) || { total: true, currency: r.currency, sales: 0, sales_amount: 0, voids: 0,
      void_amount: 0, net: 0 };
    for (const k of ["sales", "sales_amount", "voids", "void_amount", "net"]) t[k] += r[k];
    totals.set(r.currency, t);
  }
  const money = (k) => (r) => amount(r[k], r.currency);
  const cols = [
    { label: "Period", cell: (r) => (r.total ? h("strong", { text: `Total (${r.currency})` })
      : periodName(r.period, report.group_by)) },
    { label: "Plan", cell: (r) => r.plan_name || "" },
    { label: "Sold", className: "num", cell: (r) => String(r.sales) },
    { label: "Sales", className: "num", cell: money("sales_amount") },
    { label: "Voids", className: "num", cell: (r) => String(r.voids) },
    { label: "Voided", className: "num", cell: (r) => amount(-r.void_amount, r.currency) },
    { label: "Net", className: "num strong", cell: money("net") },
  ];
  return table(cols, [...report.rows, ...totals.values()], { caption: "Sales by period and plan",
    rowClass: (r) => (r.total ? "total-row" : null), empty: "No sales in these days." });
}

/** usageTable: a row per period. */
export function usageTable(report) {
  const cols = [
    { label: "Period", cell: (r) => periodName(r.period, report.group_by) },
    { label: "Codes made", className: "num", cell: (r) => String(r.issued) },
    { label: "First used", className: "num", cell: (r) => String(r.redeemed) },
    { label: "Expired unused", className: "num", cell: (r) => String(r.expired_unused) },
    { label: "Peak online", className: "num", cell: (r) => String(r.online_peak) },
    { label: "Data used", className: "num", cell: (r) => dataSize(r.data_used_mb) },
  ];
  return table(cols, report.rows, { caption: "Use per period", empty: "No days in this range." });
}
