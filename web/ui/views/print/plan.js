// plan.js: what a coupon card says of the plan it sells: the plan's name
// and price, and its limits (data, speed, devices), in the card's language.
// Unlimited data or speed is left out; the price is left out when free.

import { h } from "../../dom.js";
import { money, dataSize, speed } from "../../format.js";
import { tnIn } from "../../i18n.js";

/**
 * devices: "3 devices", "1 Gerät", in the card's language (the server's
 * card text has no such word yet; the page's catalogues have it, English
 * for other languages).
 */
const devices = (n, lang) => tnIn(lang || "en", "card.devices", n);

/** planName is the card's line with the plan's name and price: "1 day, 2 GB  €8.00". */
export function planName(plan, lang) {
  return h("p", { class: "cc-plan" }, h("strong", { class: "cc-plan-name", text: plan.name }),
    plan.price > 0 ? h("span", { class: "cc-price", text: money(plan.price, plan.currency, lang) }) : null);
}

/** planLimits is the card's line with the plan's limits: "2 GB · ↓ 10 Mb/s ↑ 2 Mb/s · 3 devices". */
export function planLimits(plan, lang) {
  const parts = [];
  if (plan.data_limit_mb !== null) parts.push(dataSize(plan.data_limit_mb, lang));
  const down = plan.download_kbps !== null ? `↓ ${speed(plan.download_kbps, lang)}` : "";
  const up = plan.upload_kbps !== null ? `↑ ${speed(plan.upload_kbps, lang)}` : "";
  if (down || up) parts.push([down, up].filter(Boolean).join(" "));
  parts.push(devices(plan.devices, lang));
  // A line breaks between limits, before a separator, never inside a limit.
  const sep = () => h("span", { class: "cc-sep", "aria-hidden": "true", text: "· " });
  return h("p", { class: "cc-meta cc-limits" },
    parts.map((t, i) => [i ? " " : null, h("span", { class: "cc-limit" }, i ? sep() : null, t)]));
}
