// record.js: everything gatehouse holds about one guest (GET
// /captive/guests), in sections: sessions, codes, device moves, consent
// receipts and sign-ins with identity providers. Values already
// anonymized read "anonymized".

import { h } from "../../dom.js";
import { panel, table, badge } from "../../kit.js";
import { dateTime } from "../../format.js";
import { dataUsed } from "../../guest_list.js";
import { personal, consentTable, isAnonymized } from "../../consent.js";

/** recordCount is how many records rec holds (what an erasure would change at most). */
export function recordCount(rec) {
  return rec.site_users.length + rec.coupons.length + rec.device_moves.length + rec.consents.length
    + rec.oauth_sign_ins.length;
}

/** guestRecord is the panel of rec, found for who; actions (the erase button) go under its summary. */
export function guestRecord(ctx, rec, who, actions) {
  const n = recordCount(rec);
  const siteName = (id) => ctx.me.sites.find((s) => s.id === id)?.name || "a removed site";
  const instName = (id) => ctx.me.instances.find((i) => i.id === id)?.name || "a removed portal";
  const codeOf = (id) => rec.coupons.find((c) => c.id === id)?.code || "";
  return panel(`What gatehouse holds about ${who}`,
    h("p", { class: "guest-summary", role: "status", text: n ? summary(rec) : "Nothing: gatehouse holds no record "
      + "of this guest." }),
    anonymizedNote(rec),
    n ? actions : null,
    n ? [
      section("Sessions", table(sessionColumns(siteName), rec.site_users, { caption: "Sessions",
        empty: "No sessions." })),
      section("Codes", table([
        { label: "Code", cell: (c) => h("span", { class: "code", text: c.code }) },
        { label: "Portal", cell: (c) => instName(c.instance_id) },
        { label: "Used", cell: (c) => (c.redeemed_at ? dateTime(c.redeemed_at) : "not yet") },
        { label: "Locked to device", cell: (c) => personal(c.mac_address) },
      ], rec.coupons, { caption: "Codes", empty: "No codes." })),
      section("Device moves", table([
        { label: "When", cell: (m) => dateTime(m.at) },
        { label: "Code", cell: (m) => h("span", { class: "code", text: codeOf(m.coupon_id) }) },
        { label: "From device", cell: (m) => personal(m.from_mac) },
        { label: "To device", cell: (m) => personal(m.to_mac) },
      ], rec.device_moves, { caption: "Device moves", empty: "The guest's codes never moved to another device." })),
      section("Consents", consentTable(rec.consents, siteName, { empty: "No terms of use accepted." })),
      section("Sign-ins with identity providers", table([
        { label: "Provider", cell: (g) => g.provider },
        { label: "Person at the provider", cell: (g) => personal(g.subject) },
        { label: "Site", cell: (g) => siteName(g.site_id) },
        { label: "Device", cell: (g) => personal(g.mac_address) },
        { label: "Signed in", cell: (g) => dateTime(g.created_at) },
        { label: "Access until", cell: (g) => dateTime(g.ends_at) },
      ], rec.oauth_sign_ins, { caption: "Sign-ins", empty: "No sign-ins with Google, GitHub or Microsoft." })),
    ] : null);
}

/** summary counts what was found: "2 sessions, 1 code, 2 consents". */
function summary(rec) {
  const parts = [[rec.site_users, "session", "sessions"], [rec.coupons, "code", "codes"],
    [rec.device_moves, "device move", "device moves"], [rec.consents, "consent", "consents"],
    [rec.oauth_sign_ins, "sign-in", "sign-ins"]]
    .filter(([list]) => list.length).map(([list, one, many]) => `${list.length} ${list.length === 1 ? one : many}`);
  return `Found ${parts.join(", ")}.`;
}

/** anonymizedNote says when some records were anonymized already (by retention or an erasure). */
function anonymizedNote(rec) {
  const anon = rec.site_users.some((u) => isAnonymized(u.mac_address) || isAnonymized(u.ip_address))
    || rec.consents.some((c) => c.anonymized);
  return anon ? h("p", { class: "muted", text: "Records marked “anonymized” hold only a keyed hash in place of the "
    + "MAC address, IP address or e-mail: they are listed because the hash matches, but nobody can read them back." })
    : null;
}

/** section is a heading and its table. */
const section = (title, body) => h("section", { class: "guest-section" }, h("h3", { text: title }), body);

/** sessionColumns are the columns of the guest's sessions. */
function sessionColumns(siteName) {
  return [
    { label: "Site", cell: (u) => siteName(u.site_id) },
    { label: "Code or user", cell: (u) => h("div", null, h("span", { class: "mono strong", text: u.username }),
      u.identity ? h("div", { class: "small" }, personal(u.identity, { mono: false })) : null) },
    { label: "Signed in", cell: (u) => (u.login_at ? dateTime(u.login_at) : "—") },
    { label: "Signed out", cell: (u) => (u.active ? badge("online", "good")
      : u.logout_at ? dateTime(u.logout_at) : "—") },
    { label: "Data", cell: (u) => dataUsed(u) },
    { label: "IP address", cell: (u) => personal(u.ip_address) },
    { label: "MAC address", cell: (u) => personal(u.mac_address) },
  ];
}
