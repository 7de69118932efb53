// guest_list.js: the guests online at one site, refreshed every 30 seconds,
// with a Disconnect button for roles that may end sessions, the data a
// code has left and the devices it moved from. The Guests page and a
// site's page show it.

import * as api from "./api.js";
import { h, nextId, fill } from "./dom.js";
import { table, loading, button, errorBox, confirmDialog, toast } from "./kit.js";
import { dateTime, relative, timeLeft, bytes, dataSize, clock } from "./format.js";

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
      const opened = [...rows.querySelectorAll("details.moves[open]")].map((d) => d.dataset.user);
      fill(rows, table(columns(Date.now(), kick), list,
        { empty: "Nobody is online at this site right now.", caption: "Guests online" }));
      for (const d of rows.querySelectorAll("details.moves")) d.open = opened.includes(d.dataset.user);
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
      u.identity ? h("div", { class: "muted small", text: u.identity }) : null, moves(u, now)) },
    { label: "IP address", cell: (u) => h("span", { class: "mono", text: u.ip_address || "—" }) },
    { label: "MAC address", cell: (u) => h("span", { class: "mono", text: u.mac_address || "—" }) },
    { label: "Signed in", cell: (u) => u.login_at
      ? h("span", { title: dateTime(u.login_at), text: relative(u.login_at, now) }) : "—" },
    { label: "Time left", cell: (u) => u.expires_at ? timeLeft(u.expires_at, now) : "no limit" },
    { label: "Data", cell: (u) => h("div", null, dataUsed(u),
      u.data_left_mb !== null && u.data_left_mb !== undefined
        ? h("div", { class: "muted small", text: `${dataSize(u.data_left_mb)} left` }) : null) },
    kick ? { label: "", className: "col-actions", cell: (u) => button("Disconnect", () => kick(u),
      { kind: "danger", small: true, attrs: { "aria-label": `Disconnect ${u.username}` } }) } : null,
  ].filter(Boolean);
}

/** dataUsed words what a guest's session moved. bytes_in is what the router received from the guest: the upload. */
export function dataUsed(u) {
  return h("span", { title: "Uploaded by the guest · downloaded by the guest",
    text: `↑ ${bytes(u.bytes_in)} up · ↓ ${bytes(u.bytes_out)} down` });
}

/**
 * moves says that u's code moved here from other devices (a phone's
 * private MAC address changed): "Moved from another device 2× today",
 * which opens the list of the devices before (each MAC and when the code
 * left it).
 */
function moves(u, now) {
  const list = u.device_moves || [];
  if (!list.length) return null;
  const today = new Date(now).toDateString();
  const n = list.filter((m) => new Date(m.at).toDateString() === today).length;
  const words = n === list.length ? `${n}× today` : `${list.length}× since ${dateTime(list[0].at)}`;
  return h("details", { class: "moves small", data: { user: u.id } },
    h("summary", { text: `Moved from another device ${words}` }),
    h("ul", null, list.map((m) => h("li", { title: `Moved to ${m.to_mac}` },
      h("span", { class: "mono", text: m.from_mac }), h("span", { class: "muted", text: ` until ${clock(m.at, new Date(now))}` })))));
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
