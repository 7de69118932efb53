// guest_list.js: the guests online at one site, refreshed every 30 seconds,
// with a Disconnect button for roles that may end sessions, the data a
// code has left and the devices it moved from. The Guests page and a
// site's page show it.

import * as api from "./api.js";
import { h, nextId, fill } from "./dom.js";
import { table, loading, button, errorBox, confirmDialog, toast } from "./kit.js";
import { dateTime, relative, timeLeft, bytes, dataSize, clock } from "./format.js";
import { t, tn, locale } from "./i18n.js";

/**
 * guestList draws the active guests of a site into box and refreshes every
 * 30 seconds; it returns a function that stops the refresh.
 */
export function guestList(ctx, siteId, box) {
  const err = errorBox();
  const rows = h("div", null, loading(t("guestlist.loading")));
  const updated = h("span", { class: "muted small" });
  const kick = ctx.can("site_users.disconnect") ? (u) => disconnect(u) : null;
  const refresh = button(t("guestlist.refresh"), () => load(), { iconName: "refresh", small: true });
  fill(box, h("div", { class: "list-head" }, updated, refresh), err.el, rows);

  async function load() {
    try {
      const list = await api.get(`/captive/sites/${api.seg(siteId)}/users?active=true`);
      err.clear();
      const opened = [...rows.querySelectorAll("details.moves[open]")].map((d) => d.dataset.user);
      fill(rows, table(columns(Date.now(), kick), list,
        { empty: t("guestlist.nobody"), caption: t("nav.guests") }));
      for (const d of rows.querySelectorAll("details.moves")) d.open = opened.includes(d.dataset.user);
      const time = new Date().toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
      updated.textContent = tn("guestlist.online_checked", list.length, { time });
    } catch (e) {
      if (e.status === 401) return;
      rows.replaceChildren();
      err.show(e, t("guestlist.not_loaded"));
    }
  }

  async function disconnect(u) {
    const revoke = await confirmKick(u);
    if (revoke === null) return;
    try {
      await api.del(`/captive/sites/${api.seg(siteId)}/users/${api.seg(u.id)}` + (revoke ? "?revoke=true" : ""));
      toast(t("guestlist.disconnected", { user: u.username }));
      load();
    } catch (e) {
      err.show(e, t("guestlist.not_disconnected", { user: u.username }));
    }
  }

  load();
  const timer = setInterval(() => { if (!document.hidden) load(); }, 30000);
  return () => clearInterval(timer);
}

/** columns of the guest table; kick (null for roles that may not) makes the Disconnect buttons. */
function columns(now, kick) {
  return [
    { label: t("guestlist.guest"), cell: (u) => h("div", null, h("span", { class: "mono strong", text: u.username }),
      u.identity ? h("div", { class: "muted small", text: u.identity }) : null, moves(u, now)) },
    { label: t("guestlist.ip"), cell: (u) => h("span", { class: "mono", text: u.ip_address || "—" }) },
    { label: t("guestlist.mac"), cell: (u) => h("span", { class: "mono", text: u.mac_address || "—" }) },
    { label: t("guestlist.signed_in"), cell: (u) => u.login_at
      ? h("span", { title: dateTime(u.login_at), text: relative(u.login_at, now) }) : "—" },
    { label: t("guestlist.time_left"), cell: (u) => u.expires_at ? timeLeft(u.expires_at, now) : t("guestlist.no_limit") },
    { label: t("planpage.data"), cell: (u) => h("div", null, dataUsed(u),
      u.data_left_mb !== null && u.data_left_mb !== undefined
        ? h("div", { class: "muted small", text: t("guestlist.left", { size: dataSize(u.data_left_mb) }) }) : null) },
    kick ? { label: "", className: "col-actions", cell: (u) => button(t("guestlist.disconnect"), () => kick(u),
      { kind: "danger", small: true, attrs: { "aria-label": t("guestlist.disconnect_aria", { user: u.username }) } }) } : null,
  ].filter(Boolean);
}

/** dataUsed words what a guest's session moved. bytes_in is what the router received from the guest: the upload. */
export function dataUsed(u) {
  return h("span", { title: t("guestlist.up_down_title"),
    text: t("guestlist.up_down", { up: bytes(u.bytes_in), down: bytes(u.bytes_out) }) });
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
  const words = n === list.length ? t("guestlist.moved_today", { n })
    : t("guestlist.moved_since", { n: list.length, date: dateTime(list[0].at) });
  return h("details", { class: "moves small", data: { user: u.id } },
    h("summary", { text: words }),
    h("ul", null, list.map((m) => h("li", { title: t("guestlist.moved_to", { mac: m.to_mac }) },
      h("span", { class: "mono", text: m.from_mac }), h("span", { class: "muted", text: " " + t("guestlist.until", { time: clock(m.at, new Date(now)) }) })))));
}

/** confirmKick asks before disconnecting u: null to keep the guest, else whether to cancel the coupon too. */
async function confirmKick(u) {
  const boxId = nextId();
  const revoke = h("input", { type: "checkbox", id: boxId });
  const extra = u.coupon_id ? h("div", { class: "field field-check" }, h("label", { for: boxId }, revoke,
    h("span", { text: t("guestlist.also_cancel") }))) : null;
  const ok = await confirmDialog({
    title: t("guestlist.disconnect_title", { user: u.username }),
    body: t("guestlist.disconnect_body", { device: u.mac_address || u.ip_address || "" })
      + (u.coupon_id ? " " + t("guestlist.disconnect_coupon") : ""),
    confirm: t("guestlist.disconnect"), extra,
  });
  return ok ? revoke.checked : null;
}
