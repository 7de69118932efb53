// z_report.js: a shift's report as one document, the same on screen and on
// paper (A4 or Letter sheets, 58 mm or 80 mm receipt rolls): the venue,
// the clerk, when the shift opened and closed, sales and voids by plan,
// the totals and the cash expected against the cash counted per currency,
// and the ledger's anchor (sequence numbers and head hash) to keep.

import { h } from "./dom.js";
import { amount, dateTime } from "./format.js";
import { couponInstances } from "./instance_picker.js";

/** row is one "label … value" line of the report; tone marks the value. */
const row = (label, value, tone) =>
  h("div", { class: ["zr-row", tone && "zr-" + tone] }, h("dt", { text: label }), h("dd", { text: value }));

const rows = (...list) => h("dl", { class: "zr-rows" }, list);

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * zReport is report rep (GET /captive/shifts/{id}) as a document: a
 * Z-report once the shift is closed, an X-report (what the drawer should
 * hold so far) while it is open. venue names the place, when known.
 */
export function zReport(rep, { venue } = {}) {
  const s = rep.shift;
  const closed = rep.kind === "z";
  const currencies = new Set(rep.lines.map((l) => l.currency));
  return h("article", { class: "z-report", data: { kind: rep.kind } },
    h("header", { class: "zr-head" },
      venue ? h("p", { class: "zr-venue", text: venue }) : null,
      h("h2", { class: "zr-title", text: closed ? "Z-report" : "X-report" }),
      h("p", { class: "zr-sub", text: closed ? "End of shift" : "Shift still open: the totals so far" })),
    rows(row("Clerk", s.actor_name),
      row("Opened", dateTime(s.opened_at)),
      closed ? row("Closed", dateTime(s.closed_at)) : null,
      closed && s.closed_by !== s.actor_name ? row("Closed by", s.closed_by) : null),
    h("section", { class: "zr-section" }, h("h3", { text: "Sales by plan" }),
      rep.lines.length ? rep.lines.map((l) => planLines(l, currencies.size > 1))
        : h("p", { class: "zr-none", text: "Nothing sold in this shift." })),
    rep.totals.map((t) => totals(t, s, rep.totals.length > 1)),
    ledgerAnchor(rep),
    h("p", { class: "zr-printed", text: `Printed ${dateTime(new Date().toISOString())}` }));
}

/** planLines: a plan's sales and voids. */
function planLines(l, withCurrency) {
  return h("div", { class: "zr-plan" },
    h("p", { class: "zr-plan-name", text: withCurrency ? `${l.plan_name} (${l.currency})` : l.plan_name }),
    rows(row(`Sold ${l.sales}`, amount(l.sales_amount, l.currency)),
      l.voids ? row(`Voided ${l.voids}`, amount(-l.void_amount, l.currency)) : null));
}

/** totals: one currency's sales, voids and net, and its cash expected, counted and the difference. */
function totals(t, s, withCurrency) {
  const cur = t.currency;
  const float = s.currency === cur ? s.opening_float : 0;
  return h("section", { class: "zr-section zr-totals", data: { currency: cur } },
    h("h3", { text: withCurrency ? `Totals in ${cur}` : "Totals" }),
    rows(row(count(t.sales, "sale", "sales"), amount(t.sales_amount, cur)),
      row(count(t.voids, "void", "voids"), amount(-t.void_amount, cur)),
      row("Net", amount(t.net, cur), "strong"),
      row("Opening float", amount(float, cur)),
      row("Expected cash", amount(t.expected_cash, cur), "strong"),
      t.counted_cash !== null ? row("Counted cash", amount(t.counted_cash, cur)) : null,
      t.difference !== null ? row("Difference", difference(t.difference, cur), differenceTone(t.difference)) : null));
}

/** difference: "+€9.00 over", "−€2.00 short", "€0.00, exact". */
export function difference(n, currency) {
  if (!n) return `${amount(0, currency)}, exact`;
  return `${amount(n, currency, { signed: true })} ${n > 0 ? "over" : "short"}`;
}

/** differenceTone: how a cash difference is marked (short is bad, over a warning). */
export const differenceTone = (n) => (!n ? "good" : n > 0 ? "warn" : "bad");

/** ledgerAnchor: the shift's entries in the ledger and, once closed, the ledger's head then. */
function ledgerAnchor(rep) {
  const s = rep.shift;
  const range = rep.entries ? `, #${rep.first_seq} to #${rep.last_seq}` : "";
  return h("section", { class: "zr-section zr-ledger" }, h("h3", { text: "Sales ledger" }),
    rows(row("Entries", `${rep.entries}${range}`),
      s.head_seq !== null ? row("Head at the close", `#${s.head_seq}`) : null),
    s.head_hash
      ? [h("p", { class: "zr-hash-label", text: "Head hash at the close" }),
        h("p", { class: "zr-hash", text: s.head_hash })]
      : h("p", { class: "zr-none", text: "The head hash is printed once the shift is closed." }));
}

/**
 * venueOf is the portal a report is printed for: the one in the URL, or
 * the only coupon portal; "" when neither says.
 */
export function venueOf(ctx) {
  const list = couponInstances(ctx.me);
  const wanted = ctx.params.get("instance");
  const inst = wanted ? list.find((i) => i.id === wanted) : list.length === 1 ? list[0] : null;
  return inst ? inst.name : "";
}
