// list.js: the coupons page's "Codes" panel: the codes of one portal by
// status, plan and search, a page at a time, selected for printing or
// revoking (a sold code's sale is then voided), and exported as CSV.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { loading, button, errorBox, busy, confirmDialog, toast } from "../../kit.js";
import { startPrint } from "../../print_job.js";
import { amount } from "../../format.js";
import { priceOf } from "../../plans.js";
import { statusFilter, searchBox, planFilter } from "./filters.js";
import { couponTable, rowActions } from "./table.js";
import { t, tn } from "../../i18n.js";

const PAGE = 200;

const couponsPath = (state) => `/captive/instances/${api.seg(state.instId)}/coupons`;

/** listQuery is the list's filters as the API's query: status, q and plan_id. */
function listQuery(state) {
  const q = new URLSearchParams({ status: state.status });
  if (state.query) q.set("q", state.query);
  if (state.plan) q.set("plan_id", state.plan);
  return "?" + q;
}

/**
 * couponList keeps the list's state in state (instId and plans are the
 * caller's): the status, plan and search (first from the URL), rows, how
 * many are shown, the selection. It returns the panel's parts, load(), and
 * select(ids) to show the valid codes with ids selected.
 */
export function couponList(ctx, state) {
  Object.assign(state, { status: ctx.params.get("status") || "valid", query: ctx.params.get("q") || "",
    plan: ctx.params.get("plan") || "", rows: [], shown: PAGE, selected: new Set() });
  const err = errorBox();
  const tableBox = h("div", null, loading());
  const refilter = (change) => { Object.assign(state, change, { shown: PAGE }); load(); };
  const filter = statusFilter(state.status, (status) => refilter({ status }));
  const search = searchBox(state.query, (query) => refilter({ query }));
  const plan = planFilter(state.plans, state.plan, (planId) => refilter({ plan: planId }));
  const revoke = (ids) => revokeMany(state, ids, err, load);
  const bar = listActions(ctx, state, err, revoke);
  const draw = () => {
    bar.sync();
    fill(tableBox, ...listBody(ctx, state, { onSelect: bar.sync, err, load, revoke, draw }));
  };
  async function load() {
    err.clear();
    try {
      state.rows = await api.get(couponsPath(state) + listQuery(state));
    } catch (e) {
      if (e.status === 401) return;
      state.rows = [];
      tableBox.replaceChildren();
      err.show(e, t("list.coupons_not_loaded"));
      bar.sync();
      return;
    }
    const ids = new Set(state.rows.map((c) => c.id));
    for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
    draw();
  }
  const select = (ids) => {
    state.selected.clear();
    ids.forEach((id) => state.selected.add(id));
    state.status = "valid";
    filter.set("valid");
    state.plan = "";
    plan?.set("");
    return load();
  };
  const filters = h("div", { class: "list-filters" }, filter.el, plan?.el, search);
  const head = h("div", { class: "list-head" }, filters, bar.el);
  return { parts: [head, err.el, tableBox], load, select };
}

/** listBody is the table of the rows shown and a button to show more, or a line saying there is nothing. */
function listBody(ctx, state, { onSelect, err, load, revoke, draw }) {
  const { rows, shown, query, status } = state;
  if (!rows.length) {
    let none = status === "valid" ? t("list.none_valid") : t("list.none_status");
    if (state.plan) none = t("list.none_plan");
    return [h("p", { class: "empty", text: query ? t("list.none_match", { query }) : none })];
  }
  const actions = (c) => rowActions(ctx, state, c, { err, reload: load, revoke });
  const more = rows.length > shown
    ? button(t("list.show_more", { n: Math.min(PAGE, rows.length - shown), of: rows.length - shown }),
      () => { state.shown += PAGE; draw(); }, { kind: "ghost" })
    : null;
  return [couponTable(state, rows.slice(0, shown), { onSelect, actions }), more];
}

/** listActions: what to do with the selection (print, revoke), and the CSV export of the codes the filters show. */
function listActions(ctx, state, err, revoke) {
  const { selected } = state;
  const printSel = button(t("list.print_selected"),
    () => startPrint(ctx, { instance: state.instId, coupon_ids: [...selected] }), { iconName: "print" });
  const revokeSel = ctx.can("coupons.revoke")
    ? button(t("list.revoke_selected"), () => revoke([...selected]), { kind: "danger" }) : null;
  const csvBtn = button(t("list.export_csv"), () => busy(csvBtn, t("list.exporting"), async () => {
    const file = `coupons-${state.status}-${new Date().toISOString().slice(0, 10)}.csv`;
    try {
      await api.download(couponsPath(state) + listQuery(state), file, "text/csv");
    } catch (e) {
      err.show(e, t("list.csv_failed"));
    }
  }), { iconName: "download" });
  const info = h("span", { class: "muted small", role: "status" });
  const sync = () => {
    const n = selected.size;
    const hint = revokeSel ? t("list.select_hint_revoke") : t("list.select_hint");
    info.textContent = n ? tn("list.selected", n) : hint;
    printSel.disabled = !n;
    printSel.querySelector("span").textContent = n ? t("list.print_selected_n", { n }) : t("list.print_selected");
    if (revokeSel) revokeSel.disabled = !state.rows.some((c) => selected.has(c.id) && c.status === "valid");
  };
  return { el: h("div", { class: "list-actions" }, info, printSel, revokeSel, csvBtn), sync };
}

/**
 * revokeMany revokes the valid codes among ids, after asking, then reloads
 * the list. Revoking a sold code (one with a price, still unused) voids
 * its sale, which the dialog says with the amount; a void the caller may
 * not make (403) is shown in the API's words.
 */
async function revokeMany(state, ids, err, reload) {
  const codes = state.rows.filter((c) => ids.includes(c.id) && c.status === "valid");
  if (!codes.length) return;
  const sold = codes.filter((c) => c.price > 0);
  const one = codes.length === 1;
  const ok = await confirmDialog({
    title: one ? t(sold.length ? "revoke.title_void" : "revoke.title", { code: codes[0].code })
      : tn("revoke.title_n", codes.length),
    body: voidWords(state, codes, sold) + t("revoke.body"),
    confirm: sold.length ? t("revoke.confirm_void") : t("row.revoke"),
  });
  if (!ok) return;
  const failures = [];
  for (const c of codes) {
    try {
      await api.del(`${couponsPath(state)}/${api.seg(c.id)}`);
      state.selected.delete(c.id);
    } catch (e) {
      if (e.status === 401) return;
      failures.push(e);
    }
  }
  if (sold.length && failures.length < codes.length) state.onRevoked?.();
  await reload(); // first, as a reload clears the error box
  if (failures.length) {
    err.show(failures[failures.length - 1], one ? t("revoke.failed", { code: codes[0].code })
      : t("revoke.failed_n", { n: failures.length, of: codes.length }));
    err.el.scrollIntoView({ block: "nearest" });
  } else if (one) {
    const c = codes[0];
    toast(sold.length ? t("revoke.done_void", { code: c.code, price: priceOf(c) }) : t("revoke.done", { code: c.code }));
  } else {
    toast(sold.length ? t("revoke.done_n_void", { n: codes.length, voided: sold.length })
      : t("revoke.done_n", { n: codes.length }));
  }
}

/**
 * voidWords says which sales revoking codes voids: "ABCD23 was sold for
 * €8.00 (1 day). Revoking it voids that sale: …"; "" when none was sold.
 */
function voidWords(state, codes, sold) {
  if (!sold.length) return "";
  const plan = (c) => {
    const p = state.plans.find((x) => x.id === c.plan_id);
    return p ? ` (${p.name})` : "";
  };
  if (codes.length === 1) {
    const c = sold[0];
    return t("revoke.sold_one", { code: c.code, price: priceOf(c) + plan(c) }) + " ";
  }
  const byCurrency = new Map();
  for (const c of sold) byCurrency.set(c.currency, (byCurrency.get(c.currency) || 0) + c.price);
  const total = [...byCurrency].map(([cur, n]) => amount(n, cur)).join(" + ");
  return tn("revoke.sold_n", sold.length, { total }) + " ";
}
