// consent.js: what guests' personal data looks like on the page, shared
// by the Guest data view and a portal's consent receipts: a value already
// anonymized reads "anonymized" (not its keyed hash), a consent's terms
// version opens the exact text it names, and the table of receipts.

import * as api from "./api.js";
import { h } from "./dom.js";
import { table, confirmDialog, toast } from "./kit.js";
import { dateTime, language } from "./format.js";
import { t } from "./i18n.js";

/** isAnonymized tells whether v is a keyed hash left by anonymization ("anon:…"). */
export const isAnonymized = (v) => typeof v === "string" && v.startsWith("anon:");

/** personal shows a MAC, IP address or identity: "—" when absent, "anonymized" for a keyed hash. */
export function personal(v, { mono = true } = {}) {
  if (v === null || v === undefined || v === "") return h("span", { class: "muted", text: "—" });
  if (isAnonymized(v)) return h("span", { class: "anonymized", text: t("consent.anonymized") });
  return h("span", { class: mono ? "mono" : null, text: v });
}

const texts = new Map(); // terms hash → {hash, text, first_seen_at}, read once per page load

/** termsLink is a link-styled button that shows the terms text version hash names in a dialog. */
export function termsLink(hash) {
  const short = hash.slice(0, 8);
  return h("button", { type: "button", class: "link-btn mono", "aria-label": t("consent.terms_aria", { version: short }),
    data: { terms: hash }, text: short, on: { click: () => showTerms(hash) } });
}

/** showTerms reads the terms text of version hash and shows it in a dialog. */
async function showTerms(hash) {
  let v = texts.get(hash);
  if (!v) {
    try {
      v = await api.get("/captive/terms-versions/" + api.seg(hash));
    } catch (e) {
      if (e.status !== 401) toast(e.message, "bad");
      return;
    }
    texts.set(hash, v);
  }
  await confirmDialog({ title: t("consent.as_accepted"), confirm: null, cancel: t("consent.close"), wide: true,
    extra: h("div", { class: "terms-version" },
      h("p", { class: "small" }, t("consent.first_shown", { time: dateTime(v.first_seen_at) }) + " ",
        h("code", { class: "hash", text: v.hash })),
      h("div", { class: "terms-text", tabindex: "0", "aria-label": t("consent.terms_text"), text: v.text })) });
}

/**
 * consentTable lists consent receipts: when, where (siteName(id) words a
 * site), which device and identity, by which code or sign-in, in which
 * language, and the terms version (its text a click away).
 */
export function consentTable(list, siteName, { empty = t("consent.none") } = {}) {
  return table([
    { label: t("consent.accepted"), cell: (c) => dateTime(c.at) },
    { label: t("guestpage.site"), cell: (c) => (c.site_id ? siteName(c.site_id) : "—") },
    { label: t("consent.device"), cell: (c) => personal(c.mac_address) },
    { label: t("consent.identity"), cell: (c) => personal(c.identity, { mono: false }) },
    { label: t("consent.code_or_sign_in"), cell: (c) => (c.coupon_id ? h("span", { class: "mono strong", text: c.username || "" })
      : h("span", null, t("consent.sign_in") + " ", h("span", { class: "muted mono", text: c.username || "" }))) },
    { label: t("shell.language"), cell: (c) => language(c.lang) },
    { label: t("consent.terms"), cell: (c) => termsLink(c.terms_hash) },
  ], list, { empty, caption: t("consent.title") });
}
