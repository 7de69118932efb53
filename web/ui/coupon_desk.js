// coupon_desk.js: the front desk's work on one coupon: sell one in one
// click (make it, with a plan or not, then the print dialog), its note,
// more time, and freeing it for the guest's new device.

import * as api from "./api.js";
import { h, nextId } from "./dom.js";
import { confirmDialog, ask, toast, input, field } from "./kit.js";
import { dateTime, duration } from "./format.js";
import { startPrint } from "./print_job.js";

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
  const extra = field("Note", box,
    { hint: "A room number or the guest's name, up to 200 characters. Leave empty to remove it." });
  if (!(await ask({ title: `Note for ${c.code}`, confirm: "Save note", extra }, box))) return null;
  const updated = await api.put(`${coupons(inst)}/${api.seg(c.id)}`, { note: box.value.trim() });
  toast(updated.note ? `Note saved for ${c.code}.` : `Note removed from ${c.code}.`);
  return updated;
}

/** EXTENSIONS: the quick choices of extendCoupon, in minutes. */
const EXTENSIONS = [[60, "1 hour"], [1440, "1 day"]];

/**
 * extendCoupon asks how much time to add to a coupon and adds it; resolves
 * to the updated coupon, or null when cancelled.
 */
export async function extendCoupon(inst, c) {
  const group = nextId("ext");
  const custom = input({ type: "number", name: "minutes", min: 1, max: 525600, step: 1, value: "30",
    inputmode: "numeric", "aria-label": "Other: minutes" });
  const choice = (value, label) => {
    const id = nextId();
    return h("div", { class: "ext-option" },
      h("input", { type: "radio", name: group, id, value: String(value), checked: value === 60 }),
      h("label", { for: id, text: label }));
  };
  const otherId = nextId();
  const other = h("div", { class: "ext-option" },
    h("input", { type: "radio", name: group, id: otherId, value: "other" }),
    h("label", { for: otherId, text: "Other:" }), custom, h("span", { text: "minutes" }));
  custom.addEventListener("focus", () => { other.querySelector("input").checked = true; });
  const extra = h("fieldset", { class: "ext-choice" }, h("legend", { text: "Add" }),
    EXTENSIONS.map(([v, l]) => choice(v, l)), other);
  const what = c.status === "redeemed"
    ? `The guest's session now ends ${dateTime(c.session_ends_at)}. It ends that much later; `
      + "if the router ends the session at the old time, the guest signs in again with the same code."
    : c.status === "expired"
      ? "This code has expired unused. It works again for that long from now."
      : `The code can now be used until ${dateTime(c.expires_at)}. It stays usable that much longer.`;
  const ok = await ask({ title: `More time for ${c.code}`, body: what, confirm: "Add time", extra },
    extra.querySelector("input"));
  if (!ok) return null;
  const picked = extra.querySelector("input[type=radio]:checked").value;
  const minutes = picked === "other" ? Math.round(Number(custom.value)) : Number(picked);
  const updated = await api.post(`${actions(inst, c)}/extend`, { minutes });
  toast(`${duration(minutes * 60)} added to ${c.code}.`);
  return updated;
}

/**
 * releaseCoupon frees a redeemed coupon for the guest's new device, after
 * asking; resolves to the updated coupon, or null when cancelled.
 */
export async function releaseCoupon(inst, c) {
  const ok = await confirmDialog({
    title: `Free ${c.code} for a new device?`,
    body: `The device ${c.redeemed_mac || "using it"} is logged out now. The next device that signs in with this code `
      + `gets the rest of the session (until ${dateTime(c.session_ends_at)}) and is then the only one that can use it.`,
    confirm: "Free the code", danger: false,
  });
  if (!ok) return null;
  const updated = await api.post(`${actions(inst, c)}/release`);
  toast(`${c.code} can be used on a new device.`);
  return updated;
}
