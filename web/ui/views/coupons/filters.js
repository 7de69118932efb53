// filters.js: how the coupons page narrows its list: by status (a row of
// radio buttons), by plan, and by a search in codes and notes.

import { h, nextId } from "../../dom.js";
import { input, select } from "../../kit.js";
import { t } from "../../i18n.js";

/** STATUSES: the statuses to choose from and their names' keys. */
const STATUSES = [
  ["valid", "filter.valid"], ["redeemed", "filter.redeemed"], ["expired", "filter.expired"],
  ["revoked", "filter.revoked"], ["all", "filter.all"],
];

/** statusFilter is the status switch; onChange(status) runs on a choice; set(status) checks one. */
export function statusFilter(status, onChange) {
  const name = nextId("status");
  const el = h("fieldset", { class: "segmented" }, h("legend", { class: "sr-only", text: t("filter.show") }),
    STATUSES.map(([v, label]) => {
      const id = nextId();
      const r = h("input", { type: "radio", name, id, value: v, checked: v === status });
      r.addEventListener("change", () => onChange(v));
      return h("span", null, r, h("label", { for: id, text: t(label) }));
    }));
  const set = (v) => { el.querySelector(`input[value="${v}"]`).checked = true; };
  return { el, set };
}

/** searchBox finds codes by code or note; onChange(query) runs a quarter second after typing stops. */
export function searchBox(query, onChange) {
  const search = input({ type: "search", name: "q", value: query, maxlength: 200, autocomplete: "off",
    spellcheck: "false", placeholder: t("filter.search_placeholder"), "aria-label": t("filter.search_label") });
  let timer;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(search.value.trim()), 250);
  });
  return h("div", { class: "coupon-search" }, search);
}

/**
 * planFilter picks the plan whose codes are shown ("" for all); null
 * without plans. onChange(planId) runs on a choice; set(planId) shows one.
 */
export function planFilter(plans, planId, onChange) {
  if (!plans.length) return null;
  const sel = select("plan_id", [["", t("filter.all_plans")], ...plans.map((p) => [p.id, p.name])], planId,
    { "aria-label": t("filter.plan_label"), class: "plan-filter" });
  sel.addEventListener("change", () => onChange(sel.value));
  return { el: sel, set: (v) => { sel.value = v; } };
}
