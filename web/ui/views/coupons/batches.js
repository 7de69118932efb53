// batches.js: the coupons page's "Scheduled batches": the codes schedules
// made automatically (e.g. the morning's), with a button to print the
// latest batch of each. Optional: the page works without it.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, busy } from "../../kit.js";
import { relative } from "../../format.js";
import { startPrint } from "../../print_job.js";
import { t } from "../../i18n.js";

/** scheduledBatches is the panel's box; load() fills it for the portal state.instId. */
export function scheduledBatches(ctx, state) {
  const el = h("div");
  async function load() {
    el.replaceChildren();
    if (!ctx.can("schedules.read")) return;
    let list;
    try {
      list = await api.get(`/captive/instances/${api.seg(state.instId)}/coupon-schedules`);
    } catch {
      return; // optional: the rest of the page works without it
    }
    if (!list.length) return;
    fill(el, panel(t("batches.title"),
      h("p", { class: "muted", text: t("batches.lead") }),
      h("ul", { class: "batch-list" }, list.map((s) => batchItem(ctx, state, s)))));
  }
  return { el, load };
}

function batchItem(ctx, state, s) {
  const err = h("span", { class: "error-text small", role: "status" });
  const btn = button(t("batches.print_latest"), () => busy(btn, t("kit.loading"), async () => {
    err.textContent = "";
    const inst = api.seg(state.instId);
    try {
      const runs = await api.get(`/captive/instances/${inst}/coupon-schedules/${api.seg(s.id)}/runs?limit=1`);
      if (!runs.length) err.textContent = t("batches.not_run");
      else startPrint(ctx, { instance: state.instId, run_id: runs[0].id });
    } catch (e) {
      err.textContent = e.message;
    }
  }), { iconName: "print", small: true, attrs: { disabled: !s.last_run_at } });
  const last = s.last_run_at
    ? t("batches.last", { when: relative(s.last_run_at), made: s.tokens_generated_since_last_run,
      unused: s.tokens_available_since_last_run })
    : t("batches.not_run_short");
  return h("li", null, h("div", null, h("strong", { text: s.name }), h("div", { class: "muted small", text: last })),
    btn, err);
}
