// reports.js: the Reports view for operators and admins: sales by plan and
// the guest Wi-Fi's use (codes made, used and expired, guests online at
// the peak, data used) per day, week or month of a date range, in a time
// zone (the browser's by default); each table also as a CSV download. The
// tables are in reports/tables.js.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, button, field, input, select, errorBox, showFormError, checkForm, busy, loading }
  from "../kit.js";
import { browserZone, isoDay } from "../format.js";
import { salesTable, usageTable } from "./reports/tables.js";
import { t } from "../i18n.js";

const GROUPS = ["day", "week", "month"];

export async function reports(ctx) {
  const p = page(t("nav.reports"), {
    lead: t("report.lead"),
  });
  add(ctx.main, p.el);
  const f = reportForm(ctx.params);
  const salesBox = h("div", null, loading());
  const usageBox = h("div", null, loading());
  const csv = (name) => {
    const btn = button(t("consent.download_csv"), () => busy(btn, t("portal.downloading"), async () => {
      const q = f.query();
      try {
        await api.download(`/captive/reports/${name}?${q}`, `${name}-${q.get("from")}-${q.get("to")}.csv`, "text/csv");
      } catch (e) {
        f.fail(e);
      }
    }), { iconName: "download", small: true, attrs: { "aria-label": name === "sales" ? t("report.csv_sales_aria") : t("report.csv_usage_aria") } });
    return btn;
  };
  const head = (title, name) => h("div", { class: "panel-head" }, h("h2", { text: title }), csv(name));
  add(p.body, panel(null, f.form), h("section", { class: "panel report-panel" }, head(t("nav.sales"), "sales"), salesBox),
    h("section", { class: "panel report-panel" }, head(t("report.use"), "usage"), usageBox));

  async function load() {
    const q = f.query();
    history.replaceState(null, "", "#/reports?" + q);
    const [sales, usage] = await Promise.allSettled([api.get("/captive/reports/sales?" + q),
      api.get("/captive/reports/usage?" + q)]);
    for (const [box, res, show] of [[salesBox, sales, salesTable], [usageBox, usage, usageTable]]) {
      if (res.status === "fulfilled") fill(box, show(res.value));
      else box.replaceChildren();
    }
    const failed = [sales, usage].find((r) => r.status === "rejected");
    if (failed && failed.reason.status !== 401) f.fail(failed.reason);
  }
  f.onShow(load);
  await load();
}

/** reportForm: from, to, group_by and tz, first from the URL. query() is the API query; fail(err) shows an error. */
function reportForm(params) {
  const err = errorBox();
  const from = input({ type: "date", name: "from", required: true, value: params.get("from") || isoDay(-29) });
  const to = input({ type: "date", name: "to", required: true, value: params.get("to") || isoDay() });
  const group = select("group_by", GROUPS.map((g) => [g, t("report." + g)]), params.get("group_by") || "day");
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const tz = input({ name: "tz", value: params.get("tz") || browserZone(), list: "report-zones", autocomplete: "off",
    spellcheck: "false", required: true });
  const show = button(t("report.show"), null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "report-fields" }, field(t("consent.from"), from), field(t("consent.to"), to), field(t("report.per"), group),
      field(t("sched.tz"), tz, { hint: t("report.tz_hint") })),
    h("div", { class: "form-actions" }, show),
    h("datalist", { id: "report-zones" }, zones.map((z) => h("option", { value: z }))));
  const query = () => new URLSearchParams({ from: from.value, to: to.value, group_by: group.value,
    tz: tz.value.trim() });
  const fail = (e) => showFormError(form, err, e);
  const onShow = (load) => form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    await busy(show, t("kit.loading"), load);
  });
  return { form, query, fail, onShow };
}
