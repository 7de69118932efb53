// tables.js: the Reports view's tables: sales by period and plan with the
// totals per currency, and the use of the guest Wi-Fi per period.

import { h } from "../../dom.js";
import { table } from "../../kit.js";
import { amount, dataSize, periodName, number } from "../../format.js";
import { t } from "../../i18n.js";

/** salesTable: a row per period, plan and currency, then a total row per currency. */
export function salesTable(report) {
  const totals = new Map();
  for (const r of report.rows) {
    const sum = totals.get(r.currency) || { total: true, currency: r.currency, sales: 0, sales_amount: 0, voids: 0,
      void_amount: 0, net: 0 };
    for (const k of ["sales", "sales_amount", "voids", "void_amount", "net"]) sum[k] += r[k];
    totals.set(r.currency, sum);
  }
  const money = (k) => (r) => amount(r[k], r.currency);
  const cols = [
    { label: t("report.period"), cell: (r) => (r.total ? h("strong", { text: t("report.total", { currency: r.currency }) })
      : periodName(r.period, report.group_by)) },
    { label: t("table.plan"), cell: (r) => r.plan_name || "" },
    { label: t("salespage.sold"), className: "num", cell: (r) => number(r.sales) },
    { label: t("report.sales_amount"), className: "num", cell: money("sales_amount") },
    { label: t("report.voids"), className: "num", cell: (r) => number(r.voids) },
    { label: t("report.voided"), className: "num", cell: (r) => amount(-r.void_amount, r.currency) },
    { label: t("zr.net"), className: "num strong", cell: money("net") },
  ];
  return table(cols, [...report.rows, ...totals.values()], { caption: t("report.sales_caption"),
    rowClass: (r) => (r.total ? "total-row" : null), empty: t("report.no_sales") });
}

/** usageTable: a row per period. */
export function usageTable(report) {
  const cols = [
    { label: t("report.period"), cell: (r) => periodName(r.period, report.group_by) },
    { label: t("report.codes_made"), className: "num", cell: (r) => number(r.issued) },
    { label: t("report.first_used"), className: "num", cell: (r) => number(r.redeemed) },
    { label: t("report.expired_unused"), className: "num", cell: (r) => number(r.expired_unused) },
    { label: t("report.peak"), className: "num", cell: (r) => number(r.online_peak) },
    { label: t("report.data_used"), className: "num", cell: (r) => dataSize(r.data_used_mb) },
  ];
  return table(cols, report.rows, { caption: t("report.usage_caption"), empty: t("report.no_days") });
}
