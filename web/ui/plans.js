// plans.js: the voucher plans other pages offer (what a code sells: how
// long, how fast, how much data, for how much): loading them, naming them
// in a line, and the "Plan" select of the coupon and schedule forms.

import * as api from "./api.js";
import { select, field } from "./kit.js";
import { money } from "./format.js";
import { t } from "./i18n.js";

/** loadPlans is every plan, oldest first; [] when the role may not read them or they cannot be loaded. */
export async function loadPlans(ctx) {
  if (!ctx.can("plans.read")) return [];
  try {
    return await api.get("/captive/plans");
  } catch (e) {
    if (e.status === 401) throw e;
    return []; // optional: the pages work without plans
  }
}

/** priceOf: a plan's or coupon's price in words ("€8.00", "Free"). */
export const priceOf = (p) => money(p.price, p.currency);

/** planLine: "1 day, 2 GB · €8.00". */
export const planLine = (p) => `${p.name} · ${priceOf(p)}`;

/**
 * planPicker is the "Plan" field of a form: "No plan" and each plan. With
 * a durationField valid, choosing a plan shows the plan's code validity in
 * it (which the user may change). plan() is the plan chosen, or null.
 */
export function planPicker(plans, value, { valid, hint, name = "plan_id" } = {}) {
  const sel = select(name, [["", t("planpage.no_plan")], ...plans.map((p) => [p.id, planLine(p)])], value || "");
  const plan = () => plans.find((p) => p.id === sel.value) || null;
  sel.addEventListener("change", () => {
    const p = plan();
    if (p && valid) valid.set(p.valid_minutes * 60);
  });
  return { el: field(t("table.plan"), sel, { hint }), select: sel, plan };
}
