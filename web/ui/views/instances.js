// instances.js: portals (the API's instances): list, create, edit every
// field, the look (theme editor, see theme.js), login.html downloads, the
// consent receipts and delete.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, loading, button, linkButton, errorBox, busy, confirmDialog, toast, emptyState, badge }
  from "../kit.js";
import { duration } from "../format.js";
import { t } from "../i18n.js";
import { themeEditor } from "./instances/theme.js";
import { detailsForm } from "./instances/details_form.js";
import { consentsPanel } from "./instances/consents.js";

export async function instances(ctx) {
  const manage = ctx.can("instances.manage");
  const p = page(t("nav.instances"), {
    lead: t("portal.lead"),
    actions: manage ? linkButton(t("portal.new"), "#/instances/new", { kind: "primary", iconName: "plus" }) : null,
  });
  add(ctx.main, p.el);
  add(p.body, loading());
  const [list, sites] = await Promise.all([
    api.get("/captive/instances"), ctx.can("sites.read") ? api.get("/captive/sites") : []]);
  if (!list.length) {
    fill(p.body, emptyState(t("portal.none"),
      manage ? linkButton(t("portal.new"), "#/instances/new", { kind: "primary", iconName: "plus" }) : null));
    return;
  }
  const siteName = (id) => sites.find((s) => s.id === id)?.name || t("portal.unknown_site");
  const none = (text) => h("span", { class: "muted", text });
  fill(p.body, panel(null, table([
    { label: t("planpage.name"),
      cell: (i) => h("a", { class: "strong", href: "#/instances/" + encodeURIComponent(i.id), text: i.name }) },
    { label: t("portal.sign_in_col"), cell: (i) => i.strategy === "coupon" ? badge(t("portal.coupon_code"), "info")
      : badge(t("portal.oauth"), "neutral") },
    { label: t("portal.session"), cell: (i) => duration(i.session_ttl) },
    { label: t("nav.sites"),
      cell: (i) => i.sites.length ? i.sites.map((s) => siteName(s.id)).join(", ") : none(t("portal.none_yet")) },
    { label: t("portal.wifi_name"), cell: (i) => i.wifi_name || none("—") },
  ], list, { caption: t("nav.instances") })));
}

/** instanceDetail is #/instances/new and #/instances/<id>. */
export async function instanceDetail(ctx) {
  const id = ctx.segments[1];
  const creating = id === "new";
  const manage = ctx.can("instances.manage");
  if (creating && !manage) {
    add(ctx.main, page(t("portal.new")).el,
      h("p", { class: "not-available", text: t("shell.not_for_role") }));
    return;
  }
  const [inst, sites, integrations] = await Promise.all([
    creating ? null : api.get("/captive/instances/" + api.seg(id)),
    ctx.can("sites.read") ? api.get("/captive/sites") : [],
    ctx.can("integrations.read") ? api.get("/captive/auth-integrations").catch(() => []) : [],
  ]);
  const p = page(creating ? t("portal.new") : inst.name, { back: { href: "#/instances", label: t("nav.instances") } });
  add(ctx.main, p.el);
  const form = detailsForm(ctx, inst, sites, integrations, manage);
  add(p.body, panel(creating ? null : t("portal.details"), form));
  if (creating) {
    form.querySelector("input[name=name]").focus();
    return;
  }
  let cleanup = () => {};
  if (manage || inst.preview_url) cleanup = themeEditor(ctx, inst, p.body, manage) || cleanup;
  if (inst.sites.length) add(p.body, routerFile(inst, sites));
  if (ctx.can("guests.manage")) add(p.body, consentsPanel(inst, sites));
  if (manage) add(p.body, deletePanel(ctx, inst));
  return cleanup;
}

/** routerFile offers each site's login.html, which sends the router's guests to this portal. */
function routerFile(inst, sites) {
  return panel(t("portal.router_file"),
    h("p", { class: "muted", text: t("portal.router_file_lead") }),
    h("div", { class: "form-actions" }, inst.sites.map((s) => {
      const name = sites.find((x) => x.id === s.id)?.name || t("portal.site");
      const path = `/captive/instances/${api.seg(inst.id)}/hotspot/login.html?site=${encodeURIComponent(s.id)}`;
      const b = button(t("portal.download_login", { name }), () => busy(b, t("portal.downloading"), async () => {
        try {
          await api.download(path, "login.html", "text/html");
        } catch (e) {
          toast(e.message, "bad");
        }
      }), { iconName: "download" });
      return b;
    })));
}

function deletePanel(ctx, inst) {
  const delErr = errorBox();
  return panel(t("kit.delete"),
    h("p", { class: "muted", text: t("portal.delete_lead") }),
    delErr.el,
    button(t("portal.delete"), async () => {
      const body = t("portal.delete_body");
      if (!(await confirmDialog({ title: t("portal.delete_title", { name: inst.name }), body,
        confirm: t("portal.delete") }))) return;
      try {
        await api.del("/captive/instances/" + api.seg(inst.id));
        toast(t("sitepage.deleted", { name: inst.name }));
        ctx.navigate("/instances");
      } catch (e) {
        delErr.show(e);
      }
    }, { kind: "danger" }));
}
