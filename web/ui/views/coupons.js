// coupons.js: generate coupons (or sell one: make it and print it in one
// click, by plan, in the clerk's shift), find them by code or note, see
// them by status and plan, look after one (note, more time, a new device,
// revoke, which voids a sale), export CSV and print cards (the batch just
// made in one click, or a selection). The parts are in coupons/.

import { add } from "../dom.js";
import { page, panel, emptyState } from "../kit.js";
import { couponInstances, pickInstance, instancePicker } from "../instance_picker.js";
import { generateForm } from "./coupons/generate.js";
import { couponList } from "./coupons/list.js";
import { scheduledBatches } from "./coupons/batches.js";
import { shiftBar, firstShift } from "./coupons/shift.js";
import { loadPlans } from "../plans.js";
import { t } from "../i18n.js";

export async function coupons(ctx) {
  // The page shows at once, whole.
  const [me, plans, first] = await Promise.all([ctx.refreshMe(), loadPlans(ctx), firstShift(ctx)]);
  const list = couponInstances(me);
  const p = page(ctx.isDesk ? t("nav.coupons_desk") : t("nav.coupons"), { lead: t("couponpage.lead") });
  add(ctx.main, p.el);
  if (!list.length) {
    add(p.body, emptyState(ctx.can("instances.manage") ? t("couponpage.no_portal_create") : t("couponpage.no_portal_ask")));
    return;
  }
  const state = { instId: pickInstance(list, ctx.params.get("instance")), plans };
  const venue = () => (list.find((i) => i.id === state.instId) || {}).name || "";
  const shift = shiftBar(ctx, state, { first, venue });
  state.onRevoked = () => shift?.load(); // a void changes the shift's takings
  const codes = couponList(ctx, state);
  const form = generateForm(ctx, state, (made) => codes.select(made.map((c) => c.id)));
  const batches = scheduledBatches(ctx, state);
  const picker = instancePicker(list, state.instId, "coupons", (id) => {
    state.instId = id;
    state.selected.clear();
    form.clear();
    codes.load();
    batches.load();
  }, { hint: t("couponpage.portal_hint") });
  add(p.body, shift?.el, picker, panel(t("couponpage.new_codes"), form.el), batches.el,
    panel(t("couponpage.codes"), ...codes.parts));
  await codes.load();
  batches.load();
}
