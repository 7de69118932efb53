// shifts.js: the Sales view's "Shifts" panel: every clerk's shifts, newest
// first, a page at a time (one request each: the list carries every
// shift's totals), each with its net takings and, once closed, the
// difference between the cash counted and the cash expected, per currency.
// A shift's clerk links to its report.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, table, badge, button, loading, errorBox } from "../../kit.js";
import { amount, dateTime, number } from "../../format.js";
import { difference, differenceTone } from "../../z_report.js";
import { t } from "../../i18n.js";

const PAGE = 20;

/** shiftList is the panel; load() lists the newest shifts with their totals, a page at a time. */
export function shiftList() {
  const box = h("div", null, loading());
  const err = errorBox();
  let list = [];
  let more = false;

  /** page reads the shifts after the last one shown (the first page when none). */
  async function page() {
    const last = list[list.length - 1];
    const rows = await api.get(`/captive/shifts?limit=${PAGE + 1}` + (last ? "&before=" + encodeURIComponent(last.id) : ""));
    more = rows.length > PAGE;
    list = list.concat(rows.slice(0, PAGE));
  }
  function draw() {
    const next = more
      ? button(t("salespage.show_older"), () => grow(next), { kind: "ghost" })
      : null;
    fill(box, table(columns(), list, { caption: t("salespage.shifts"),
      rowClass: (s) => (s.closed_at ? null : "is-open"), empty: t("salespage.no_shifts") }), next);
  }
  async function grow(btn) {
    btn.disabled = true;
    try {
      await page();
    } catch (e) {
      btn.disabled = false;
      if (e.status !== 401) err.show(e, t("salespage.not_loaded"));
      return;
    }
    draw();
  }
  async function load() {
    err.clear();
    list = [];
    try {
      await page();
    } catch (e) {
      box.replaceChildren();
      if (e.status !== 401) err.show(e, t("salespage.not_loaded"));
      return;
    }
    draw();
  }
  return { el: panel(t("salespage.shifts"), err.el, box), load };
}

/** perCurrency shows line(t) for each currency of a shift's totals (false: none), or a dash. */
function perCurrency(s, line) {
  const items = (s.totals || []).map(line).filter(Boolean);
  return items.length ? h("span", null, items) : h("span", { class: "muted", text: "—" });
}

/** columns are the shifts table's columns, in the page's language. */
const columns = () => [
  { label: t("zr.clerk"), cell: (s) => h("a", { href: "#/sales/" + encodeURIComponent(s.id), text: s.actor_name,
    "aria-label": t("salespage.report_aria", { clerk: s.actor_name, time: dateTime(s.opened_at) }) }) },
  { label: t("zr.opened"), cell: (s) => dateTime(s.opened_at) },
  { label: t("zr.closed"), cell: (s) => (s.closed_at ? dateTime(s.closed_at) : badge(t("salespage.open"), "info")) },
  { label: t("salespage.sold"), className: "num", cell: (s) => number((s.totals || []).reduce((n, x) => n + x.sales, 0)) },
  { label: t("zr.net"), className: "num", cell: (s) => perCurrency(s,
    (x) => (x.sales || x.voids) && h("span", { class: "block", text: amount(x.net, x.currency) })) },
  { label: t("zr.difference"), className: "num", cell: (s) => perCurrency(s,
    (x) => x.difference !== null && h("span", { class: ["block", "diff-" + differenceTone(x.difference)],
      text: difference(x.difference, x.currency) })) },
];
