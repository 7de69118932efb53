// charts.js: the dashboard's charts, for those who may read reports:
// revenue per day over the last 30 days stacked by plan, codes used by
// hour of day over the last 30 days, and guests online over the last 24
// hours, all in the browser's time zone.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, loading } from "../../kit.js";
import { barChart, lineChart } from "../../chart.js";
import { amount, fractionDigits, browserZone, periodName, number } from "../../format.js";
import { t, locale } from "../../i18n.js";

const SLOT = 5 * 60 * 1000; // the online report's slot

/** dashboardCharts is the charts' panels; load() fetches the reports and draws them. */
export function dashboardCharts() {
  const revenue = h("div", null, loading());
  const hours = h("div", null, loading());
  const online = h("div", null, loading());
  const lead = (text) => h("p", { class: "muted small", text });
  const el = h("div", { class: "chart-grid" },
    panel(t("chart.revenue"), lead(t("chart.revenue_lead")), revenue),
    panel(t("chart.by_hour"), lead(t("chart.by_hour_lead")), hours),
    panel(t("nav.guests"), lead(t("chart.online_lead")), online));
  const tz = browserZone();
  const zone = tz ? "&tz=" + encodeURIComponent(tz) : "";
  async function load() {
    const [sales, usage, series] = await Promise.allSettled([
      api.get("/captive/reports/sales?group_by=day" + zone),
      api.get("/captive/reports/usage?group_by=hour_of_day" + zone),
      api.get("/captive/reports/online?hours=24"),
    ]);
    show(revenue, sales, revenueCharts);
    show(hours, usage, hourChart);
    show(online, series, onlineChart);
  }
  return { el, load };
}

/** show fills box with draw(value), or the failure in words. */
function show(box, result, draw) {
  if (result.status === "fulfilled") fill(box, draw(result.value));
  else if (result.reason.status !== 401) fill(box, h("p", { class: "error-text", text: result.reason.message }));
}

const empty = (text) => h("p", { class: "empty chart-empty", text });

/** moneyTick words a value in currency's main unit, without decimals when whole: "€15", "€2.50". */
function moneyTick(currency) {
  const digits = fractionDigits(currency);
  return (v) => {
    const whole = Math.abs(v - Math.round(v)) < 1e-9;
    try {
      return new Intl.NumberFormat(locale(), { style: "currency", currency,
        minimumFractionDigits: whole ? 0 : digits, maximumFractionDigits: digits }).format(v);
    } catch {
      return String(v);
    }
  };
}

/** revenueCharts: a chart of net sales per day by plan for each currency sold in. */
function revenueCharts(report) {
  const currencies = [...new Set(report.rows.filter((r) => r.net > 0).map((r) => r.currency))].sort();
  if (!currencies.length) return empty(t("chart.no_sales"));
  const categories = report.periods.map((p) => ({ label: periodName(p, "day", "short"), title: periodName(p, "day") }));
  return currencies.map((cur) => {
    const rows = report.rows.filter((r) => r.currency === cur);
    const plans = new Map();
    for (const r of rows) {
      const p = plans.get(r.plan_id) || { name: r.plan_name, net: 0, values: report.periods.map(() => 0) };
      p.net += r.net;
      p.values[report.periods.indexOf(r.period)] += r.net / 10 ** fractionDigits(cur);
      plans.set(r.plan_id, p);
    }
    const series = [...plans.values()].sort((a, b) => b.net - a.net);
    const total = amount(series.reduce((sum, s) => sum + s.net, 0), cur);
    return h("div", { class: "chart-currency" },
      currencies.length > 1 ? h("h3", { text: cur }) : null,
      barChart({ categories, series, format: moneyTick(cur), key: true, fromEnd: true, yTitle: t("chart.net_sales", { currency: cur }),
        label: t("chart.revenue_label", { total, currency: cur }) }));
  });
}

/** hourChart: codes first used in each hour of the day. */
function hourChart(report) {
  const used = report.rows.map((r) => r.redeemed);
  const total = used.reduce((a, b) => a + b, 0);
  if (!total) return empty(t("chart.no_use"));
  const categories = report.rows.map((r) => ({ label: r.period, title: periodName(r.period, "hour_of_day") }));
  return barChart({ categories, series: [{ name: t("chart.codes_used"), values: used }], format: (v) => number(v), whole: true,
    yTitle: t("chart.codes_used"), xTitle: t("chart.hour_of_day"),
    label: t("chart.by_hour_label", { total: number(total) }) });
}

/** onlineChart: guests online per five minutes; slots no router reported are gaps. */
function onlineChart(samples) {
  if (!samples.length) return empty(t("chart.no_counts"));
  const to = new Date();
  const from = new Date(to - 24 * 3600 * 1000);
  const points = samples.map((s) => ({ at: new Date(s.at), value: s.guests }));
  const peak = Math.max(...points.map((p) => p.value));
  return lineChart({ points, from, to, slot: SLOT, format: (v) => number(v), whole: true, yTitle: t("chart.guests"),
    label: t("chart.online_label", { peak: number(peak) }) });
}
