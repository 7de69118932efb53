// guests.js: who is online at a site, with a Disconnect button for roles
// that may end sessions. The list itself is ../guest_list.js (a site's page
// shows it too).

import { h, add } from "../dom.js";
import { page, panel, select, field, emptyState } from "../kit.js";
import { guestList } from "../guest_list.js";
import { t } from "../i18n.js";

const SITE_KEY = "gatehouse.site";

export async function guests(ctx) {
  const me = await ctx.refreshMe();
  const p = page(t("nav.guests"), { lead: t("guestpage.lead") });
  add(ctx.main, p.el);
  if (!me.sites.length) {
    add(p.body, emptyState(ctx.can("sites.manage") ? t("guestpage.no_routers_add")
      : t("guestpage.no_routers_ask")));
    return;
  }
  let siteId = ctx.params.get("site") || localStorage.getItem(SITE_KEY) || "";
  if (!me.sites.some((s) => s.id === siteId)) siteId = me.sites[0].id;
  const picker = select("site", me.sites.map((s) => [s.id, s.state === "offline" ? t("guestpage.site_offline", { name: s.name }) : s.name]),
    siteId);
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
  add(p.body, me.sites.length > 1 ? h("div", { class: "toolbar" }, field(t("guestpage.site"), picker)) : null, panel(null, listBox));
  show();
  return () => timers.forEach((stop) => stop());
}
