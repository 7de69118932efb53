// sync.js: "Sync now" on a site. A dry run comes first (POST
// /captive/sites/<id>/sync?dry_run=true, which changes nothing): the places
// the router differs from gatehouse, grouped by menu, each an add, a change
// (the router's value → gatehouse's) or a remove; the real pass runs only
// when confirmed. Also the site's drift: how often someone else changed
// gatehouse's items on the router, with the audit log's words for it.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { badge, confirmDialog } from "../../kit.js";
import { dateTime } from "../../format.js";
import { t, tn } from "../../i18n.js";

/** MENUS names the router menus gatehouse writes to as a person would. */
const MENUS = {
  "/ip/hotspot/user": "sync.menu_users",
  "/ip/hotspot/user/profile": "sync.menu_profiles",
  "/ip/hotspot/walled-garden/ip": "sync.menu_wg_ip",
  "/ip/hotspot/walled-garden": "sync.menu_wg_host",
};
const menuName = (menu) => MENUS[menu] ? t(MENUS[menu]) : menu;

const ACTIONS = { add: ["sync.add", "good"], set: ["sync.change", "warn"], remove: ["sync.remove", "bad"] };

/**
 * syncNow shows site id's dry run and, when confirmed, syncs: resolves to
 * the SyncResult, or null when cancelled. A router that cannot be read
 * throws (the dry run's error).
 */
export async function syncNow(id) {
  const path = "/captive/sites/" + api.seg(id) + "/sync";
  const dry = await api.post(path + "?dry_run=true");
  const changes = dry.changes || [];
  const n = changes.length;
  const ok = await confirmDialog(n ? {
    title: tn("sync.differs", n),
    body: t("sync.differs_body"),
    extra: changeList(changes), confirm: t("sync.now"), danger: false, wide: true,
  } : {
    title: t("sync.matches"),
    body: t("sync.matches_body"),
    confirm: t("sync.anyway"), danger: false,
  });
  return ok ? api.post(path) : null;
}

/** changeList groups a dry run's changes by menu, in the order they came. */
function changeList(changes) {
  const menus = [...new Set(changes.map((c) => c.menu))];
  return h("div", { class: "dry-run" }, menus.map((menu) => {
    const items = changes.filter((c) => c.menu === menu);
    return h("section", { class: "dry-menu", data: { menu } },
      h("h3", { text: `${menuName(menu)} (${items.length})` }),
      h("ul", { class: "dry-changes" }, items.map(changeItem)));
  }));
}

/** changeItem is one change: what happens to which item; for a change, each attribute's router → gatehouse value. */
function changeItem(c) {
  const [key, tone] = ACTIONS[c.action] || [null, "neutral"];
  const word = key ? t(key) : c.action;
  return h("li", { class: "dry-change", data: { action: c.action } },
    h("div", { class: "dry-item" }, badge(word, tone), h("span", { class: "mono strong", text: c.item })),
    c.action === "set" ? h("ul", { class: "dry-attrs" }, c.attributes.map((a) => h("li", null,
      h("span", { class: "mono", text: a.name }), ": ",
      h("span", { class: "mono dry-router", text: a.router ?? t("sync.not_set") }),
      " → ",
      h("span", { class: "mono dry-want", text: a.want })))) : null);
}

/**
 * driftNote says how often someone else changed gatehouse's items on site's
 * router (each time repaired); with auditLog, a fold that reads the audit
 * log's words for it.
 */
export function driftNote(site, auditLog) {
  const n = site.status?.drift_count || 0;
  const words = n ? tn("sync.times_repaired", n) : t("dash.never");
  const line = h("p", { class: "drift-note" }, h("span", { class: "muted", text: t("sync.drift") + " " }),
    h("strong", { text: words }), n ? h("span", { class: "muted", text: " " + t("sync.each_in_log") }) : null);
  if (!n || !auditLog) return line;
  const list = h("div", { class: "drift-events" });
  const fold = h("details", { class: "drift-log" }, h("summary", { text: t("sync.what_changed") }), list);
  fold.addEventListener("toggle", () => { if (fold.open && !list.childElementCount) driftEvents(site.id, list); });
  return h("div", null, line, fold);
}

/** driftEvents fills box with the reconciler's drift events of site id from the audit log, newest first. */
async function driftEvents(id, box) {
  fill(box, h("p", { class: "muted", text: t("kit.loading") }));
  try {
    const q = new URLSearchParams({ actor: "reconciler", resource: id, limit: "100" });
    const events = (await api.get("/captive/audit-events?" + q)).filter((e) => e.action.startsWith("router drift "));
    fill(box, events.length ? h("ul", null, events.slice(0, 20).map((e) => h("li", null,
      h("span", { class: "muted", text: dateTime(e.at) + " · " }), driftWords(e.action))))
      : h("p", { class: "muted", text: t("sync.log_empty") }));
  } catch (e) {
    if (e.status !== 401) fill(box, h("p", { class: "error-text", text: e.message }));
  }
}

/** driftWords: "router drift /ip/hotspot/user: K7QX2M changed (limit-uptime)" → "Hotspot users: K7QX2M changed …". */
function driftWords(action) {
  const rest = action.slice("router drift ".length);
  const i = rest.indexOf(": ");
  return i < 0 ? rest : `${menuName(rest.slice(0, i))}: ${rest.slice(i + 2)}`;
}
