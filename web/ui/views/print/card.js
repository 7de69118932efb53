// card.js: one coupon card as a guest gets it: the venue, the Wi-Fi name,
// the code and its QR code, the plan it sells (plan.js), how long it
// lasts, worded in the portal's language.

import * as api from "../../api.js";
import { h } from "../../dom.js";
import { planName, planLimits } from "./plan.js";
import { t, tIn } from "../../i18n.js";

/**
 * card is one coupon as a guest gets it, worded in the portal's language
 * (inst.text); a coupon with a plan shows the plan's name, price, limits
 * and session length.
 */
export function card(inst, c) {
  const wifi = inst.wifi_name ? inst.wifi_name.trim() : "";
  const text = inst.text || {};
  const lang = text.lang || undefined;
  const session = c.plan ? c.plan.session_minutes * 60 : inst.session_ttl;
  const how = text.how || (wifi ? tIn(lang, "card.how_wifi", { wifi }) : tIn(lang, "card.how"));
  const valid = h("p", { class: "cc-meta cc-valid" }, `${text.valid_until || tIn(lang, "card.valid_until")} `,
    h("strong", { text: cardTime(c.expires_at, lang) }));
  return h("article", { class: ["coupon-card", c.status !== "valid" && "is-void", c.plan && "has-plan"], lang },
    h("div", { class: "cc-main" },
      h("div", { class: "cc-head" },
        inst.logo_url ? h("img", { class: "cc-logo", src: api.local(inst.logo_url), alt: inst.name })
          : h("p", { class: "cc-venue", text: inst.name })),
      wifi ? h("p", { class: "cc-wifi" }, tIn(lang, "card.wifi") + " ", h("strong", { text: wifi })) : null,
      h("p", { class: "cc-code", text: spaced(c.code) }),
      c.plan ? planName(c.plan, lang) : valid,
      h("p", { class: "cc-meta" }, h("strong", { text: localDuration(session, lang) }),
        ` ${text.internet || tIn(lang, "card.internet")}`),
      c.plan ? planLimits(c.plan, lang) : null,
      c.status !== "valid"
        ? h("p", { class: "cc-void", text: `${text.void || tIn(lang, "card.void")} (${statusIn(lang, c.status)})` })
        : null),
    h("div", { class: "cc-side" },
      h("img", { class: "cc-qr", src: api.local(c.qr),
        alt: t("card.qr_alt", { code: c.code }) }),
      c.plan ? valid : null), // two lines more on a plan's card: the validity goes under the QR code
    h("p", { class: "cc-how", text: how }),
    h("div", { class: "cc-cut", "aria-hidden": "true" }));
}

/** cardTime: "Nov 27, 5:06 AM" in the card's language and the reader's time zone. */
function cardTime(iso, lang) {
  const d = new Date(iso);
  if (isNaN(d)) return "";
  const format = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
  return new Intl.DateTimeFormat(lang, format).format(d);
}

/** localDuration: "2 hours", "2 horas", "1 day, 6 hours" in the card's language. */
function localDuration(seconds, lang) {
  seconds = Math.max(0, Math.round(seconds || 0));
  const parts = [];
  const unit = (n, u) => new Intl.NumberFormat(lang, { style: "unit", unit: u, unitDisplay: "long" }).format(n);
  const d = Math.floor(seconds / 86400);
  const hr = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) parts.push(unit(d, "day"));
  if (hr) parts.push(unit(hr, "hour"));
  if (m && !d) parts.push(unit(m, "minute"));
  return parts.length ? parts.join(", ") : unit(0, "minute");
}

/** statusIn: a coupon's status in language lang ("used", "abgelaufen"), as it is when unknown. */
function statusIn(lang, status) {
  const word = tIn(lang, "status." + status);
  return word === "status." + status ? status : word;
}

/** spaced groups a long code for reading aloud: ABCD EFGH; 6-character codes stay whole. */
function spaced(code) {
  if (code.length <= 7) return code;
  return code.match(/.{1,4}/g).join(" ");
}
