// guests.js: who is online at a site, with a Disconnect button for roles
// that may end sessions.

import * as api from "../api.js";
import { h, nextId, fill, add } from "../dom.js";
import { page, panel, table, loading, button, select, field, errorBox, confirmDialog, toast, emptyState } from "../kit.js";
import { dateTime, relative, timeLeft, bytes } from "../format.js";

const SITE_KEY = "gatehouse.site";

export async function guests(ctx) {
  const me = await ctx.refreshMe();
  const p = page("Guests online", { lead: "Devices signed in to the guest Wi-Fi, as the routers last reported them." });
  add(ctx.main, p.el);
  if (!me.sites.length) {
    add(p.body, emptyState(ctx.can("sites.manage") ? "No routers yet. Add one under Sites." : "No routers are set up yet. Ask your administrator."));
    return;
  }
  let siteId = ctx.params.get("site") || localStorage.getItem(SITE_KEY) || "";
  if (!me.sites.some((s) => s.id === siteId)) siteId = me.sites[0].id;
  const picker = select("site", me.sites.map((s) => [s.id, s.name + (s.state === "offline" ? " (offline)" : "")]), siteId);
  const listBox = h("div");
  const timers = [];
  picker.addEventListener("change", () => {
    siteId = picker.value;
    localStorage.setItem(SITE_KEY, siteId);
    history.replaceState(null, "", "#/guests?site=" + encodeURIComponent(siteId));
    show();
  });
  function show() {
    timers.forEach((stop) => stop());
    timers.length = 0;
    timers.push(guestList(ctx, siteId, listBox));
  }
  add(p.body, me.sites.length > 1 ? h("div", { class: "toolbar" }, field("Site", picker)) : null, panel(null, listBox));
  show();
  return () => timers.forEach((stop) => stop());
}

/**
 * guestList draws the active guests of a site into box and refreshes every
 * 30 seconds; it returns a function that stops the refresh.
 */
export function guestList(ctx, siteId, box) {
  const err = errorBox();
  const rows = h("div", null, loading("Loading guests…"));
  const updated = h("span", { class: "muted small" });
  const canKick = ctx.can("site_users.disconnect");
  const refresh = button("Refresh", () => load(), { iconName: "refresh", small: true });
  fill(box, h("div", { class: "list-head" }, updated, refresh), err.el, rows);

  async function load() {
    try {
      const list = await api.get(`/captive/sites/${api.seg(siteId)}/users?active=true`);
      err.clear();
      const now = Date.now();
      fill(rows, table([
        { label: "Guest", cell: (u) => h("div", null, h("span", { class: "mono strong", text: u.username }), u.identity ? h("div", { class: "muted small", text: u.identity }) : null) },
        { label: "IP address", cell: (u) => h("span", { class: "mono", text: u.ip_address || "—" }) },
        { label: "MAC address", cell: (u) => h("span", { class: "mono", text: u.mac_address || "—" }) },
        { label: "Signed in", cell: (u) => u.login_at ? h("span", { title: dateTime(u.login_at), text: relative(u.login_at, now) }) : "—" },
        { label: "Time left", cell: (u) => u.expires_at ? timeLeft(u.expires_at, now) : "no limit" },
        // bytes_in is what the router received from the guest: the guest's upload.
        { label: "Data", cell: (u) => h("span", { title: "Uploaded by the guest · downloaded by the guest", text: `↑ ${bytes(u.bytes_in)} up · ↓ ${bytes(u.bytes_out)} down` }) },
        canKick ? { label: "", className: "col-actions", cell: (u) => button("Disconnect", () => kick(u), { kind: "danger", small: true, attrs: { "aria-label": `Disconnect ${u.username}` } }) } : null,
      ].filter(Boolean), list, { empty: "Nobody is online at this site right now.", caption: "Guests online" }));
      updated.textContent = `${list.length} online · checked ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
    } catch (e) {
      if (e.status === 401) return;
      rows.replaceChildren();
      err.show(e, "The guest list could not be loaded.");
    }
  }

  async function kick(u) {
    const boxId = nextId();
    const revoke = h("input", { type: "checkbox", id: boxId });
    const extra = u.coupon_id ? h("div", { class: "field field-check" }, h("label", { for: boxId }, revoke, h("span", { text: "Also cancel the coupon, so it cannot be used again" }))) : null;
    const ok = await confirmDialog({
      title: `Disconnect ${u.username}?`,
      body: `The device ${u.mac_address || u.ip_address || ""} loses its connection now.` + (u.coupon_id ? " Unless you cancel the coupon, the guest can sign in again with it." : ""),
      confirm: "Disconnect", extra,
    });
    if (!ok) return;
    try {
      await api.del(`/captive/sites/${api.seg(siteId)}/users/${api.seg(u.id)}` + (revoke.checked ? "?revoke=true" : ""));
      toast(`${u.username} disconnected.`);
      load();
    } catch (e) {
      err.show(e, `${u.username} could not be disconnected.`);
    }
  }

  load();
  const timer = setInterval(() => { if (!document.hidden) load(); }, 30000);
  return () => clearInterval(timer);
}
