// shifts.js: the Sales view's "Shifts" panel: every clerk's shifts, newest
// first, a page at a time, each with its net takings and, once closed, the
// difference between the cash counted and the cash expected, per currency.
// A shift's clerk links to its report.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, table, badge, button, loading, errorBox } from "../../kit.js";
import { amount, dateTime } from "../../format.js";
import { shiftPath } from "../../shift_desk.js";
import { difference, differenceTone } from "../../z_report.js";

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
      ? button(`Show ${Math.min(PAGE, list.length - shown)} more`, () => { shown += PAGE; draw(); }, { kind: "ghost" })
      : null;
    fill(box, table(COLUMNS, rows, { caption: "Shifts", rowClass: ({ s }) => (s.closed_at ? null : "is-open"),
      empty: "No shifts yet. A clerk opens one on the coupons page before selling." }), more);
  }
  async function load() {
    err.clear();
    try {
      list = await api.get("/captive/shifts");
    } catch (e) {
      box.replaceChildren();
      if (e.status !== 401) err.show(e, "The shifts could not be loaded.");
      return;
    }
    await draw();
  }
  return { el: panel("Shifts", err.el, box), load };
}

/** perCurrency shows line(t) for each currency of a shift's totals (false: none), or a dash. */
function perCurrency(rep, line) {
  const items = rep ? rep.totals.map(line).filter(Boolean) : [];
  return items.length ? h("span", null, items) : h("span", { class: "muted", text: "—" });
}

const COLUMNS = [
  { label: "Clerk", cell: ({ s }) => h("a", { href: "#/sales/" + encodeURIComponent(s.id), text: s.actor_name,
    "aria-label": `Report of ${s.actor_name}'s shift opened ${dateTime(s.opened_at)}` }) },
  { label: "Opened", cell: ({ s }) => dateTime(s.opened_at) },
  { label: "Closed", cell: ({ s }) => (s.closed_at ? dateTime(s.closed_at) : badge("open", "info")) },
  { label: "Sold", className: "num",
    cell: ({ rep }) => (rep ? String(rep.totals.reduce((n, t) => n + t.sales, 0)) : "—") },
  { label: "Net", className: "num", cell: ({ rep }) => perCurrency(rep,
    (t) => (t.sales || t.voids) && h("span", { class: "block", text: amount(t.net, t.currency) })) },
  { label: "Difference", className: "num", cell: ({ rep }) => perCurrency(rep,
    (t) => t.difference !== null && h("span", { class: ["block", "diff-" + differenceTone(t.difference)],
      text: difference(t.difference, t.currency) })) },
];
