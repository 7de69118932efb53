// shifts.js: the Sales view's "Shifts" panel: every clerk's shifts, newest
// first, a page at a time, each with its net takings and, once closed, the
// difference between the cash counted and the cash expected, per currency.
// A shift's clerk links to its report.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, table, badge, button, loading, errorBox } from "../../kit.js";
import { amount, dateTime, number } from "../../format.js";
import { shiftPath } from "../../shift_desk.js";
import { difference, differenceTone } from "../../z_report.js";
import { t } from "../../i18n.js";

const PAGE = 20;

/** shiftList is the panel; load() lists the shifts and their reports. */
export function shiftList() {
  const box = h("div", null, loading());
  const err = errorBox();
  const reports = new Map(); // a closed shift's report never changes
  let list = [];
  let shown = PAGE;

  async function draw() {
    const visible = list.slice(0, shown);
    await Promise.all(visible.filter((s) => !reports.has(s.id) || !s.closed_at).map((s) =>
      api.get(shiftPath(s.id)).then((r) => reports.set(s.id, r), () => reports.delete(s.id))));
    const rows = visible.map((s) => ({ s, rep: reports.get(s.id) }));
    const more = list.length > shown
      ? button(t("salespage.show_more", { n: Math.min(PAGE, list.length - shown) }), () => { shown += PAGE; draw(); },
        { kind: "ghost" })
      : null;
    fill(box, table(columns(), rows, { caption: t("salespage.shifts"),
      rowClass: ({ s }) => (s.closed_at ? null : "is-open"), empty: t("salespage.no_shifts") }), more);
  }
  async function load() {
    err.clear();
    try {
      list = await api.get("/captive/shifts");
    } catch (e) {
      box.replaceChildren();
      if (e.status !== 401) err.show(e, t("salespage.not_loaded"));
      return;
    }
    await draw();
  }
  return { el: panel(t("salespage.shifts"), err.el, box), load };
}

/** perCurrency shows line(t) for each currency of a shift's totals (false: none), or a dash. */
function perCurrency(rep, line) {
  const items = rep ? rep.totals.map(line).filter(Boolean) : [];
  return items.length ? h("span", null, items) : h("span", { class: "muted", text: "—" });
}

/** columns are the shifts table's columns, in the page's language. */
const columns = () => [
  { label: t("zr.clerk"), cell: ({ s }) => h("a", { href: "#/sales/" + encodeURIComponent(s.id), text: s.actor_name,
    "aria-label": t("salespage.report_aria", { clerk: s.actor_name, time: dateTime(s.opened_at) }) }) },
  { label: t("zr.opened"), cell: ({ s }) => dateTime(s.opened_at) },
  { label: t("zr.closed"), cell: ({ s }) => (s.closed_at ? dateTime(s.closed_at) : badge(t("salespage.open"), "info")) },
  { label: t("salespage.sold"), className: "num",
    cell: ({ rep }) => (rep ? number(rep.totals.reduce((n, x) => n + x.sales, 0)) : "—") },
  { label: t("zr.net"), className: "num", cell: ({ rep }) => perCurrency(rep,
    (x) => (x.sales || x.voids) && h("span", { class: "block", text: amount(x.net, x.currency) })) },
  { label: t("zr.difference"), className: "num", cell: ({ rep }) => perCurrency(rep,
    (x) => x.difference !== null && h("span", { class: ["block", "diff-" + differenceTone(x.difference)],
      text: difference(x.difference, x.currency) })) },
];
