// guest_list.js: the guests online at one site, refreshed every 30 seconds,
// with a Disconnect button for roles that may end sessions. The Guests page
// and a site's page show it.

import * as api from "./api.js";
import { h, nextId, fill } from "./dom.js";
import { table, loading, button, errorBox, confirmDialog, toast } from "./kit.js";
import { dateTime, relative, timeLeft, bytes } from "./format.js";

/**
 * guestList draws the active guests of a site into box and refreshes every
 * 30 seconds; it returns a function that stops the refresh.
 */
export function guestList(ctx, siteId, box) {
  const err = errorBox();
  const rows = h("div", null, loading("Loading guests…"));
  const updated = h("span", { class: "muted small" });
  const kick = ctx.can("site_users.disconnect") ? (u) => disconnect(u) : null;
  const refresh = button("Refresh", () => load(), { iconName: "refresh", small: true });
  fill(box, h("div", { class: "list-head" }, updated, refresh), err.el, rows);

  async function load() {
    try {
      const list = await api.get(`/captive/sites/${api.seg(siteId)}/users?active=true`);
      err.clear();
      fill(rows, table(columns(Date.now(), kick), list,
        { empty: "Nobody is online at this site right now.", caption: "Guests online" }));
      const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      updated.textContent = `${list.length} online · checked ${time}`;
    } catch (e) {
      if (e.status === 401) return;
      rows.replaceChildren();
      err.show(e, "The guest list could not be loaded.");
    }
  }

  async function disconnect(u) {
    const revoke = await confirmKick(u);
    if (revoke === null) return;
    try {
      await api.del(`/captive/sites/${api.seg(siteId)}/users/${api.seg(u.id)}` + (revoke ? "?revoke=true" : ""));
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

/** columns of the guest table; kick (null for roles that may not) makes the Disconnect buttons. */
function columns(now, kick) {
  return [
    { label: "Guest", cell: (u) => h("div", null, h("span", { class: "mono strong", text: u.username }),
      u.identity ? h("div", { class: "muted small", text: u.identity }) : null) },
    { label: "IP address", cell: (u) => h("span", { class: "mono", text: u.ip_address || "—" }) },
    { label: "MAC address", cell: (u) => h("span", { class: "mono", text: u.mac_address || "—" }) },
    { label: "Signed in", cell: (u) => u.login_at
      ? h("span", { title: dateTime(u.login_at), text: relative(u.login_at, now) }) : "—" },
    { label: "Time left", cell: (u) => u.expires_at ? timeLeft(u.expires_at, now) : "no limit" },
    // bytes_in is what the router received from the guest: the guest's upload.
    { label: "Data", cell: (u) => h("span", { title: "Uploaded by the guest · downloaded by the guest",
      text: `↑ ${bytes(u.bytes_in)} up · ↓ ${bytes(u.bytes_out)} down` }) },
    kick ? { label: "", className: "col-actions", cell: (u) => button("Disconnect", () => kick(u),
      { kind: "danger", small: true, attrs: { "aria-label": `Disconnect ${u.username}` } }) } : null,
  ].filter(Boolean);
}

/** confirmKick asks before disconnecting u: null to keep the guest, else whether to cancel the coupon too. */
async function confirmKick(u) {
  const boxId = nextId();
  const revoke = h("input", { type: "checkbox", id: boxId });
  const extra = u.coupon_id ? h("div", { class: "field field-check" }, h("label", { for: boxId }, revoke,
    h("span", { text: "Also cancel the coupon, so it cannot be used again" }))) : null;
  const ok = await confirmDialog({
    title: `Disconnect ${u.username}?`,
    body: `The device ${u.mac_address || u.ip_address || ""} loses its connection now.`
      + (u.coupon_id ? " Unless you cancel the coupon, the guest can sign in again with it." : ""),
    confirm: "Disconnect", extra,
  });
  return ok ? revoke.checked : null;
}
