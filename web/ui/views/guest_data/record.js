// record.js: everything gatehouse holds about one guest (GET
// /captive/guests), in sections: sessions, codes, device moves, consent
// receipts and sign-ins with identity providers. Values already
// anonymized read "anonymized".

import { h } from "../../dom.js";
import { panel, table, badge } from "../../kit.js";
import { dateTime } from "../../format.js";
import { dataUsed } from "../../guest_list.js";
import { personal, consentTable, isAnonymized } from "../../consent.js";
import { t, tn } from "../../i18n.js";

/** recordCount is how many records rec holds (what an erasure would change at most). */
export function recordCount(rec) {
  return rec.site_users.length + rec.coupons.length + rec.device_moves.length + rec.consents.length
    + rec.oauth_sign_ins.length;
}

/** guestRecord is the panel of rec, found for who; actions (the erase button) go under its summary. */
export function guestRecord(ctx, rec, who, actions) {
  const n = recordCount(rec);
  const siteName = (id) => ctx.me.sites.find((s) => s.id === id)?.name || t("consent.removed_site");
  const instName = (id) => ctx.me.instances.find((i) => i.id === id)?.name || t("gdata.removed_portal");
  const codeOf = (id) => rec.coupons.find((c) => c.id === id)?.code || "";
  return panel(t("gdata.holds", { who }),
    h("p", { class: "guest-summary", role: "status", text: n ? summary(rec) : t("gdata.nothing") }),
    anonymizedNote(rec),
    n ? actions : null,
    n ? [
      section(t("gdata.sessions"), table(sessionColumns(siteName), rec.site_users, { caption: t("gdata.sessions"),
        empty: t("gdata.no_sessions") })),
      section(t("couponpage.codes"), table([
        { label: t("table.code"), cell: (c) => h("span", { class: "code", text: c.code }) },
        { label: t("picker.portal"), cell: (c) => instName(c.instance_id) },
        { label: t("table.used"), cell: (c) => (c.redeemed_at ? dateTime(c.redeemed_at) : t("gdata.not_yet")) },
        { label: t("gdata.locked"), cell: (c) => personal(c.mac_address) },
      ], rec.coupons, { caption: t("couponpage.codes"), empty: t("gdata.no_codes") })),
      section(t("gdata.moves"), table([
        { label: t("gdata.when"), cell: (m) => dateTime(m.at) },
        { label: t("table.code"), cell: (m) => h("span", { class: "code", text: codeOf(m.coupon_id) }) },
        { label: t("gdata.from_device"), cell: (m) => personal(m.from_mac) },
        { label: t("gdata.to_device"), cell: (m) => personal(m.to_mac) },
      ], rec.device_moves, { caption: t("gdata.moves"), empty: t("gdata.never_moved") })),
      section(t("gdata.consents"), consentTable(rec.consents, siteName, { empty: t("gdata.no_consents") })),
      section(t("gdata.sign_ins_title"), table([
        { label: t("gdata.provider"), cell: (g) => g.provider },
        { label: t("gdata.person"), cell: (g) => personal(g.subject) },
        { label: t("guestpage.site"), cell: (g) => siteName(g.site_id) },
        { label: t("consent.device"), cell: (g) => personal(g.mac_address) },
        { label: t("guestlist.signed_in"), cell: (g) => dateTime(g.created_at) },
        { label: t("gdata.access_until"), cell: (g) => dateTime(g.ends_at) },
      ], rec.oauth_sign_ins, { caption: t("gdata.sign_ins"), empty: t("gdata.no_sign_ins") })),
    ] : null);
}

/** summary counts what was found: "2 sessions, 1 code, 2 consents". */
function summary(rec) {
  const parts = [[rec.site_users, "gdata.n_sessions"], [rec.coupons, "sched.codes"],
    [rec.device_moves, "gdata.n_moves"], [rec.consents, "gdata.n_consents"], [rec.oauth_sign_ins, "gdata.n_sign_ins"]]
    .filter(([list]) => list.length).map(([list, key]) => tn(key, list.length));
  return t("gdata.found", { list: parts.join(", ") });
}

/** anonymizedNote says when some records were anonymized already (by retention or an erasure). */
function anonymizedNote(rec) {
  const anon = rec.site_users.some((u) => isAnonymized(u.mac_address) || isAnonymized(u.ip_address))
    || rec.consents.some((c) => c.anonymized);
  return anon ? h("p", { class: "muted", text: t("gdata.anonymized_note") })
    : null;
}

/** section is a heading and its table. */
const section = (title, body) => h("section", { class: "guest-section" }, h("h3", { text: title }), body);

/** sessionColumns are the columns of the guest's sessions. */
function sessionColumns(siteName) {
  return [
    { label: t("guestpage.site"), cell: (u) => siteName(u.site_id) },
    { label: t("gdata.code_or_user"), cell: (u) => h("div", null, h("span", { class: "mono strong", text: u.username }),
      u.identity ? h("div", { class: "small" }, personal(u.identity, { mono: false })) : null) },
    { label: t("guestlist.signed_in"), cell: (u) => (u.login_at ? dateTime(u.login_at) : "—") },
    { label: t("gdata.signed_out"), cell: (u) => (u.active ? badge(t("status.online"), "good")
      : u.logout_at ? dateTime(u.logout_at) : "—") },
    { label: t("planpage.data"), cell: (u) => dataUsed(u) },
    { label: t("guestlist.ip"), cell: (u) => personal(u.ip_address) },
    { label: t("guestlist.mac"), cell: (u) => personal(u.mac_address) },
  ];
}
