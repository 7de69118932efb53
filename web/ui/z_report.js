// z_report.js: a shift's report as one document, the same on screen and on
// paper (A4 or Letter sheets, 58 mm or 80 mm receipt rolls): the venue,
// the clerk, when the shift opened and closed, sales and voids by plan,
// the totals and the cash expected against the cash counted per currency,
// and the ledger's anchor (sequence numbers and head hash) to keep.

import { h } from "./dom.js";
import { amount, dateTime } from "./format.js";
import { couponInstances } from "./instance_picker.js";
import { t, tn } from "./i18n.js";

/** row is one "label … value" line of the report; tone marks the value. */
const row = (label, value, tone) =>
  h("div", { class: ["zr-row", tone && "zr-" + tone] }, h("dt", { text: label }), h("dd", { text: value }));

const rows = (...list) => h("dl", { class: "zr-rows" }, list);


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
      h("h2", { class: "zr-title", text: closed ? t("zr.z") : t("zr.x") }),
      h("p", { class: "zr-sub", text: closed ? t("zr.z_sub") : t("zr.x_sub") })),
    rows(row(t("zr.clerk"), s.actor_name),
      row(t("zr.opened"), dateTime(s.opened_at)),
      closed ? row(t("zr.closed"), dateTime(s.closed_at)) : null,
      closed && s.closed_by !== s.actor_name ? row(t("zr.closed_by"), s.closed_by) : null),
    h("section", { class: "zr-section" }, h("h3", { text: t("zr.by_plan") }),
      rep.lines.length ? rep.lines.map((l) => planLines(l, currencies.size > 1))
        : h("p", { class: "zr-none", text: t("zr.nothing_sold") })),
    rep.totals.map((t) => totals(t, s, rep.totals.length > 1)),
    ledgerAnchor(rep),
    h("p", { class: "zr-printed", text: t("zr.printed", { time: dateTime(new Date().toISOString()) }) }));
}

/** planLines: a plan's sales and voids. */
function planLines(l, withCurrency) {
  return h("div", { class: "zr-plan" },
    h("p", { class: "zr-plan-name", text: withCurrency ? `${l.plan_name} (${l.currency})` : l.plan_name }),
    rows(row(t("zr.sold_n", { n: l.sales }), amount(l.sales_amount, l.currency)),
      l.voids ? row(t("zr.voided_n", { n: l.voids }), amount(-l.void_amount, l.currency)) : null));
}

/** totals: one currency's sales, voids and net, and its cash expected, counted and the difference. */
function totals(x, s, withCurrency) {
  const cur = x.currency;
  const float = s.currency === cur ? s.opening_float : 0;
  return h("section", { class: "zr-section zr-totals", data: { currency: cur } },
    h("h3", { text: withCurrency ? t("zr.totals_in", { currency: cur }) : t("zr.totals") }),
    rows(row(tn("zr.sales", x.sales), amount(x.sales_amount, cur)),
      row(tn("zr.voids", x.voids), amount(-x.void_amount, cur)),
      row(t("zr.net"), amount(x.net, cur), "strong"),
      row(t("zr.float"), amount(float, cur)),
      row(t("zr.expected"), amount(x.expected_cash, cur), "strong"),
      x.counted_cash !== null ? row(t("zr.counted"), amount(x.counted_cash, cur)) : null,
      x.difference !== null ? row(t("zr.difference"), difference(x.difference, cur), differenceTone(x.difference)) : null));
}

/** difference: "+€9.00 over", "−€2.00 short", "€0.00, exact". */
export function difference(n, currency) {
  if (!n) return t("zr.exact", { amount: amount(0, currency) });
  return t(n > 0 ? "zr.over" : "zr.short", { amount: amount(n, currency, { signed: true }) });
}

/** differenceTone: how a cash difference is marked (short is bad, over a warning). */
export const differenceTone = (n) => (!n ? "good" : n > 0 ? "warn" : "bad");

/** ledgerAnchor: the shift's entries in the ledger and, once closed, the ledger's head then. */
function ledgerAnchor(rep) {
  const s = rep.shift;
  const range = rep.entries ? ", " + t("zr.range", { first: rep.first_seq, last: rep.last_seq }) : "";
  return h("section", { class: "zr-section zr-ledger" }, h("h3", { text: t("zr.ledger") }),
    rows(row(t("zr.entries"), `${rep.entries}${range}`),
      s.head_seq !== null ? row(t("zr.head_seq"), `#${s.head_seq}`) : null),
    s.head_hash
      ? [h("p", { class: "zr-hash-label", text: t("zr.head_hash") }),
        h("p", { class: "zr-hash", text: s.head_hash })]
      : h("p", { class: "zr-none", text: t("zr.hash_later") }));
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
