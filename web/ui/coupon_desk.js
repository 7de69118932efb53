// coupon_desk.js: the front desk's work on one coupon: sell one in one
// click (make it, with a plan or not, then the print dialog), its note,
// more time, and freeing it for the guest's new device.

import * as api from "./api.js";
import { h, nextId } from "./dom.js";
import { confirmDialog, ask, toast, input, field } from "./kit.js";
import { dateTime, duration } from "./format.js";
import { startPrint } from "./print_job.js";
import { t } from "./i18n.js";

const coupons = (inst) => `/captive/instances/${api.seg(inst)}/coupons`;
const actions = (inst, c) => `/captive/instances/${api.seg(inst)}/coupon-actions/${api.seg(c.id)}`;

/**
 * printOne makes one code of instance inst and opens the print view, which
 * opens the browser's print dialog at once. With a plan id the code sells
 * that plan and, without minutes, is usable as long as the plan says;
 * otherwise it is usable for minutes (a day by default). note is optional.
 * It resolves to the coupon; API errors are thrown.
 */
export async function printOne(ctx, inst, { minutes, note = "", plan = "" } = {}) {
  const body = { count: 1, note };
  if (plan) body.plan_id = plan;
  if (minutes || !plan) body.minutes_valid = minutes || 1440;
  const made = await api.post(coupons(inst), body);
  startPrint(ctx, { instance: inst, coupon_ids: [made[0].id], autoprint: true });
  return made[0];
}

/** editNote asks for a coupon's note and saves it; resolves to the updated coupon, or null when cancelled. */
export async function editNote(inst, c) {
  const box = input({ name: "note", value: c.note || "", maxlength: 200, autocomplete: "off", spellcheck: "false" });
  const extra = field(t("row.note"), box, { hint: t("desk.note_hint") });
  if (!(await ask({ title: t("desk.note_title", { code: c.code }), confirm: t("desk.note_save"), extra }, box))) {
    return null;
  }
  const updated = await api.put(`${coupons(inst)}/${api.seg(c.id)}`, { note: box.value.trim() });
  toast(updated.note ? t("desk.note_saved", { code: c.code }) : t("desk.note_removed", { code: c.code }));
  return updated;
}

/** EXTENSIONS: the quick choices of extendCoupon, in minutes. */
const EXTENSIONS = [60, 1440];

/**
 * extendCoupon asks how much time to add to a coupon and adds it; resolves
 * to the updated coupon, or null when cancelled.
 */
export async function extendCoupon(inst, c) {
  const group = nextId("ext");
  const custom = input({ type: "number", name: "minutes", min: 1, max: 525600, step: 1, value: "30",
    inputmode: "numeric", "aria-label": t("desk.other_minutes") });
  const choice = (value, label) => {
    const id = nextId();
    return h("div", { class: "ext-option" },
      h("input", { type: "radio", name: group, id, value: String(value), checked: value === 60 }),
      h("label", { for: id, text: label }));
  };
  const otherId = nextId();
  const other = h("div", { class: "ext-option" },
    h("input", { type: "radio", name: group, id: otherId, value: "other" }),
    h("label", { for: otherId, text: t("desk.other") }), custom, h("span", { text: t("kit.unit.minutes") }));
  custom.addEventListener("focus", () => { other.querySelector("input").checked = true; });
  const extra = h("fieldset", { class: "ext-choice" }, h("legend", { text: t("desk.add") }),
    EXTENSIONS.map((v) => choice(v, duration(v * 60))), other);
  const what = c.status === "redeemed"
    ? t("desk.extend_session", { time: dateTime(c.session_ends_at) })
    : c.status === "expired"
      ? t("desk.extend_expired")
      : t("desk.extend_valid", { time: dateTime(c.expires_at) });
  const ok = await ask({ title: t("desk.extend_title", { code: c.code }), body: what, confirm: t("desk.extend_confirm"),
    extra },
    extra.querySelector("input"));
  if (!ok) return null;
  const picked = extra.querySelector("input[type=radio]:checked").value;
  const minutes = picked === "other" ? Math.round(Number(custom.value)) : Number(picked);
  const updated = await api.post(`${actions(inst, c)}/extend`, { minutes });
  toast(t("desk.extended", { time: duration(minutes * 60), code: c.code }));
  return updated;
}

/**
 * releaseCoupon frees a redeemed coupon for the guest's new device, after
 * asking; resolves to the updated coupon, or null when cancelled.
 */
export async function releaseCoupon(inst, c) {
  const ok = await confirmDialog({
    title: t("desk.release_title", { code: c.code }),
    body: t(c.redeemed_mac ? "desk.release_body_mac" : "desk.release_body",
      { mac: c.redeemed_mac, time: dateTime(c.session_ends_at) }),
    confirm: t("desk.release_confirm"), danger: false,
  });
  if (!ok) return null;
  const updated = await api.post(`${actions(inst, c)}/release`);
  toast(t("desk.released", { code: c.code }));
  return updated;
}
