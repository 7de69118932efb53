// sell.js: the coupons page's "Sell one code" row: a button per plan (the
// six made last, in the order they were made) that makes one code of that
// plan and opens the print dialog, in one tap.

import { h, nextId } from "../../dom.js";
import { button, busy } from "../../kit.js";
import { printOne } from "../../coupon_desk.js";
import { priceOf } from "../../plans.js";
import { t } from "../../i18n.js";

const MOST = 6; // buttons at most; more plans are in the form's Plan select

/**
 * sellButtons is the row for the portal state.instId, or null without
 * plans; note() is the note the new code carries, fail(err) shows an error.
 */
export function sellButtons(ctx, state, { note, fail }) {
  if (!state.plans.length || !ctx.can("coupons.create")) return null;
  const titleId = nextId("sell");
  const buttons = state.plans.slice(-MOST).map((p) => {
    const btn = button(p.name, null, { iconName: "print", attrs: { "data-plan": p.id,
      "aria-label": t("sell.aria", { plan: p.name, price: priceOf(p) }) } });
    btn.classList.add("sell-btn");
    btn.querySelector("span").after(h("span", { class: "sell-price", text: priceOf(p) }));
    btn.addEventListener("click", () => busy(btn, t("generate.printing"), async () => {
      try {
        await printOne(ctx, state.instId, { plan: p.id, note: note() });
      } catch (e) {
        fail(e);
      }
    }));
    return btn;
  });
  return h("div", { class: "sell-plans", role: "group", "aria-labelledby": titleId },
    h("p", { id: titleId }, h("strong", { text: t("sell.title") }),
      h("span", { class: "muted", text: " " + t("sell.lead") })),
    h("div", { class: "sell-buttons" }, buttons));
}
