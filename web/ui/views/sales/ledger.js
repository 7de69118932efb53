// ledger.js: the sales ledger in a panel: its entries newest first, 50 at
// a time, filtered by kind, clerk and dates (or one shift's entries), the
// CSV export of every entry the filters select, and "Verify ledger", which
// recomputes the hash chain and names the first entry that breaks it.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, table, badge, button, field, input, select, errorBox, showFormError, busy, loading }
  from "../../kit.js";
import { amount, dateTime, dayStart } from "../../format.js";
import { t, tn } from "../../i18n.js";

const PAGE = 50;

/** ledgerQuery is the API query of filter f (and shift): kind, actor, since, until, shift. */
function ledgerQuery(f, shift) {
  const q = new URLSearchParams();
  if (f.kind) q.set("kind", f.kind);
  if (f.actor) q.set("actor", f.actor);
  if (f.from) q.set("since", dayStart(f.from));
  if (f.to) q.set("until", dayStart(f.to, 1));
  if (shift) q.set("shift", shift);
  return q;
}

/**
 * ledgerPanel is the ledger's panel; with shift, only that shift's entries
 * (no filters, no shift column). load() shows the first page.
 */
export function ledgerPanel(ctx, { shift } = {}) {
  const err = errorBox();
  const box = h("div", { class: "ledger-entries" }, loading());
  const pager = h("div", { class: "pager" });
  // Newest first: starts are the "before" of each page so far (0: from the newest).
  const state = { filter: {}, starts: [0] };
  const filters = shift ? null : filterForm(err, (f) => { state.filter = f; state.starts = [0]; load(); });

  async function load() {
    err.clear();
    const q = ledgerQuery(state.filter, shift);
    q.set("order", "desc");
    const before = state.starts[state.starts.length - 1];
    if (before) q.set("before", String(before));
    q.set("limit", String(PAGE + 1));
    let rows;
    try {
      rows = await api.get("/captive/ledger?" + q);
    } catch (e) {
      box.replaceChildren();
      pager.replaceChildren();
      if (e.status === 401) return;
      if (filters && e.param) showFormError(filters.form, err, e);
      else err.show(e, t("ledgerpanel.not_loaded"));
      return;
    }
    const more = rows.length > PAGE;
    rows = rows.slice(0, PAGE);
    fill(box, table(columns(!shift), rows, { caption: t("zr.ledger"),
      empty: shift ? t("ledgerpanel.empty_shift") : t("ledgerpanel.empty") }));
    const page = state.starts.length;
    const prev = page > 1 ? button(t("ledgerpanel.prev"), () => { state.starts.pop(); load(); }, { kind: "ghost" }) : null;
    const next = more ? button(t("ledgerpanel.next"), () => { state.starts.push(rows[rows.length - 1].seq); load(); },
      { kind: "ghost" }) : null;
    fill(pager, rows.length ? h("span", { class: "muted small", role: "status",
      text: t("ledgerpanel.range", { first: rows[0].seq, last: rows[rows.length - 1].seq, page }) }) : null, prev, next);
  }

  const csv = button(t("list.export_csv"), () => busy(csv, t("list.exporting"), async () => {
    const day = new Date().toISOString().slice(0, 10);
    try {
      await api.download("/captive/ledger?" + ledgerQuery(state.filter, shift), `ledger-${day}.csv`, "text/csv");
    } catch (e) {
      err.show(e, t("list.csv_failed"));
    }
  }), { iconName: "download" });
  const checked = h("div", { class: "verify-result" });
  const verify = shift ? null : button(t("ledgerpanel.verify"), () => busy(verify, t("ledgerpanel.verifying"), async () => {
    try {
      fill(checked, verdict(await api.get("/captive/ledger/verify")));
    } catch (e) {
      if (e.status !== 401) fill(checked, h("div", { class: "alert alert-error", role: "alert", text: e.message }));
    }
  }), { iconName: "shield" });
  const head = h("div", { class: "list-head" }, filters ? filters.form : h("span"),
    h("div", { class: "list-actions" }, csv, verify));
  return { el: panel(shift ? t("ledgerpanel.shift_entries") : t("zr.ledger"), head, checked, err.el, box, pager), load };
}

/** filterForm: kind, clerk and dates; onApply(filter) runs on Show. */
function filterForm(err, onApply) {
  const kind = select("kind", [["", t("ledgerpanel.all")], ["sale", t("report.sales_amount")], ["void", t("report.voids")]], "");
  const actor = input({ name: "actor", autocomplete: "off", spellcheck: "false", placeholder: t("planpage.name") });
  const from = input({ type: "date", name: "since" });
  const to = input({ type: "date", name: "until" });
  const form = h("form", { class: "ledger-filters", novalidate: true },
    field(t("ledgerpanel.kind"), kind), field(t("zr.clerk"), actor), field(t("consent.from"), from),
    field(t("consent.to"), to), button(t("consent.show"), null, { type: "submit" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (from.value && to.value && to.value < from.value) {
      showFormError(form, err, { param: "until", message: t("ledgerpanel.bad_range") });
      return;
    }
    onApply({ kind: kind.value, actor: actor.value.trim(), from: from.value, to: to.value });
  });
  return { form };
}

/** columns of the ledger table; withShift adds a link to each entry's shift. */
function columns(withShift) {
  const cols = [
    { label: "#", className: "num", cell: (e) => String(e.seq) },
    { label: t("ledgerpanel.time"), cell: (e) => dateTime(e.at) },
    { label: t("zr.clerk"), cell: (e) => e.actor_name },
    { label: t("ledgerpanel.kind"),
      cell: (e) => (e.kind === "void" ? badge(t("ledgerpanel.void"), "bad") : badge(t("ledgerpanel.sale"), "good")) },
    { label: t("table.code"), cell: (e) => h("span", { class: "code", text: e.code }) },
    { label: t("table.plan"), cell: (e) => e.plan_name },
    { label: t("ledgerpanel.amount"), className: "num", cell: (e) => amount(e.kind === "void" ? -e.amount : e.amount, e.currency) },
  ];
  if (withShift) {
    cols.push({ label: t("printshift.shift"), cell: (e) => (e.shift_id
      ? h("a", { href: "#/sales/" + encodeURIComponent(e.shift_id), text: t("ledgerpanel.report"),
        "aria-label": t("ledgerpanel.report_aria", { seq: e.seq }) })
      : h("span", { class: "muted", text: t("dash.none") })) });
  }
  return cols;
}

/** verdict words the answer of GET /captive/ledger/verify. */
function verdict(c) {
  const n = tn("ledgerpanel.entries", c.entries);
  const hash = h("p", { class: "small" }, t("ledgerpanel.head_hash") + " ", h("code", { class: "hash", text: c.head }));
  if (c.ok) {
    return h("div", { class: "alert alert-good", role: "status" },
      h("p", null, h("strong", { text: t("ledgerpanel.intact") }), " " + t("ledgerpanel.chained", { entries: n })), hash);
  }
  return h("div", { class: "alert alert-error", role: "alert" },
    h("p", null,
      h("strong", { text: t("ledgerpanel.changed", { seq: c.first_bad_seq }) }),
      " " + t("ledgerpanel.checked", { entries: n })), hash);
}
