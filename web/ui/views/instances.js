// instances.js: portals (the API's instances): list, create, edit every
// field, the look (theme editor, see theme.js), login.html downloads, the
// consent receipts and delete.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, loading, button, linkButton, errorBox, busy, confirmDialog, toast, emptyState, badge }
  from "../kit.js";
import { duration } from "../format.js";
import { themeEditor } from "./instances/theme.js";
import { detailsForm } from "./instances/details_form.js";
import { consentsPanel } from "./instances/consents.js";

export async function instances(ctx) {
  const manage = ctx.can("instances.manage");
  const p = page("Portals", {
    lead: "A portal is the page guests see before they get online: sign in with a coupon code or with Google, "
      + "GitHub or Microsoft.",
    actions: manage ? linkButton("New portal", "#/instances/new", { kind: "primary", iconName: "plus" }) : null,
  });
  add(ctx.main, p.el);
  add(p.body, loading());
  const [list, sites] = await Promise.all([
    api.get("/captive/instances"), ctx.can("sites.read") ? api.get("/captive/sites") : []]);
  if (!list.length) {
    fill(p.body, emptyState("No portals yet. Create one to start giving guests access.",
      manage ? linkButton("New portal", "#/instances/new", { kind: "primary", iconName: "plus" }) : null));
    return;
  }
  const siteName = (id) => sites.find((s) => s.id === id)?.name || "unknown site";
  const none = (text) => h("span", { class: "muted", text });
  fill(p.body, panel(null, table([
    { label: "Name",
      cell: (i) => h("a", { class: "strong", href: "#/instances/" + encodeURIComponent(i.id), text: i.name }) },
    { label: "Guests sign in with", cell: (i) => i.strategy === "coupon" ? badge("coupon code", "info")
      : badge("OAuth2 sign-in", "neutral") },
    { label: "Session", cell: (i) => duration(i.session_ttl) },
    { label: "Sites", cell: (i) => i.sites.length ? i.sites.map((s) => siteName(s.id)).join(", ") : none("none yet") },
    { label: "Wi-Fi name", cell: (i) => i.wifi_name || none("—") },
  ], list, { caption: "Portals" })));
}

/** instanceDetail is #/instances/new and #/instances/<id>. */
export async function instanceDetail(ctx) {
  const id = ctx.segments[1];
  const creating = id === "new";
  const manage = ctx.can("instances.manage");
  if (creating && !manage) {
    add(ctx.main, page("New portal").el,
      h("p", { class: "not-available", text: "This page is not available for your role." }));
    return;
  }
  const [inst, sites, integrations] = await Promise.all([
    creating ? null : api.get("/captive/instances/" + api.seg(id)),
    ctx.can("sites.read") ? api.get("/captive/sites") : [],
    ctx.can("integrations.read") ? api.get("/captive/auth-integrations").catch(() => []) : [],
  ]);
  const p = page(creating ? "New portal" : inst.name, { back: { href: "#/instances", label: "Portals" } });
  add(ctx.main, p.el);
  const form = detailsForm(ctx, inst, sites, integrations, manage);
  add(p.body, panel(creating ? null : "Details", form));
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
  return panel("Router file",
    h("p", { class: "muted", text: "Each router's hotspot needs a login.html that sends guests to this portal. "
      + "Download it and upload it to the router's hotspot folder (Files → hotspot)." }),
    h("div", { class: "form-actions" }, inst.sites.map((s) => {
      const name = sites.find((x) => x.id === s.id)?.name || "site";
      const path = `/captive/instances/${api.seg(inst.id)}/hotspot/login.html?site=${encodeURIComponent(s.id)}`;
      const b = button(`Download login.html for ${name}`, () => busy(b, "Downloading…", async () => {
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
  return panel("Delete",
    h("p", { class: "muted",
      text: "Guests can no longer sign in through this portal. Its coupons and schedules go with it." }),
    delErr.el,
    button("Delete portal", async () => {
      const body = "Its coupons stop working and its schedules stop. This cannot be undone.";
      if (!(await confirmDialog({ title: `Delete ${inst.name}?`, body, confirm: "Delete portal" }))) return;
      try {
        await api.del("/captive/instances/" + api.seg(inst.id));
        toast(`${inst.name} deleted.`);
        ctx.navigate("/instances");
      } catch (e) {
        delErr.show(e);
      }
    }, { kind: "danger" }));
}
