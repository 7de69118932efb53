// instances.js: portals (the API's instances): list, create, edit every
// field, the look (theme editor, see theme.js), login.html downloads and
// delete.

import * as api from "../api.js";
import { h, nextId, fill, add } from "../dom.js";
import { page, panel, table, loading, button, linkButton, select, field, input, durationField, errorBox, showFormError, busy, confirmDialog, toast, emptyState, badge, checkForm } from "../kit.js";
import { duration } from "../format.js";
import { themeEditor } from "./theme.js";

const LOCALES = [["en", "English"], ["de", "Deutsch"], ["es", "Español"], ["fr", "Français"], ["pt", "Português"]];

export async function instances(ctx) {
  const manage = ctx.can("instances.manage");
  const p = page("Portals", {
    lead: "A portal is the page guests see before they get online: sign in with a coupon code or with Google, GitHub or Microsoft.",
    actions: manage ? linkButton("New portal", "#/instances/new", { kind: "primary", iconName: "plus" }) : null,
  });
  add(ctx.main, p.el);
  add(p.body, loading());
  const [list, sites] = await Promise.all([api.get("/captive/instances"), ctx.can("sites.read") ? api.get("/captive/sites") : []]);
  if (!list.length) {
    fill(p.body, emptyState("No portals yet. Create one to start giving guests access.",
      manage ? linkButton("New portal", "#/instances/new", { kind: "primary", iconName: "plus" }) : null));
    return;
  }
  const siteName = (id) => sites.find((s) => s.id === id)?.name || "unknown site";
  fill(p.body, panel(null, table([
    { label: "Name", cell: (i) => h("a", { class: "strong", href: "#/instances/" + encodeURIComponent(i.id), text: i.name }) },
    { label: "Guests sign in with", cell: (i) => badge(i.strategy === "coupon" ? "coupon code" : "OAuth2 sign-in", i.strategy === "coupon" ? "info" : "neutral") },
    { label: "Session", cell: (i) => duration(i.session_ttl) },
    { label: "Sites", cell: (i) => i.sites.length ? i.sites.map((s) => siteName(s.id)).join(", ") : h("span", { class: "muted", text: "none yet" }) },
    { label: "Wi-Fi name", cell: (i) => i.wifi_name || h("span", { class: "muted", text: "—" }) },
  ], list, { caption: "Portals" })));
}

/** instanceDetail is #/instances/new and #/instances/<id>. */
export async function instanceDetail(ctx) {
  const id = ctx.segments[1];
  const creating = id === "new";
  const manage = ctx.can("instances.manage");
  if (creating && !manage) {
    add(ctx.main, page("New portal").el, h("p", { class: "not-available", text: "This page is not available for your role." }));
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
  if (inst.sites.length) {
    add(p.body, panel("Router file",
      h("p", { class: "muted", text: "Each router's hotspot needs a login.html that sends guests to this portal. Download it and upload it to the router's hotspot folder (Files → hotspot)." }),
      h("div", { class: "form-actions" }, inst.sites.map((s) => {
        const name = sites.find((x) => x.id === s.id)?.name || "site";
        const b = button(`Download login.html for ${name}`, () => busy(b, "Downloading…", async () => {
          try {
            await api.download(`/captive/instances/${api.seg(inst.id)}/hotspot/login.html?site=${encodeURIComponent(s.id)}`, "login.html", "text/html");
          } catch (e) {
            toast(e.message, "bad");
          }
        }), { iconName: "download" });
        return b;
      }))));
  }
  if (manage) {
    const delErr = errorBox();
    add(p.body, panel("Delete", h("p", { class: "muted", text: "Guests can no longer sign in through this portal. Its coupons and schedules go with it." }), delErr.el,
      button("Delete portal", async () => {
        if (!(await confirmDialog({ title: `Delete ${inst.name}?`, body: "Its coupons stop working and its schedules stop. This cannot be undone.", confirm: "Delete portal" }))) return;
        try {
          await api.del("/captive/instances/" + api.seg(inst.id));
          toast(`${inst.name} deleted.`);
          ctx.navigate("/instances");
        } catch (e) {
          delErr.show(e);
        }
      }, { kind: "danger" })));
  }
  return cleanup;
}

function detailsForm(ctx, inst, sites, integrations, manage) {
  const creating = !inst;
  const i = inst || { strategy: "coupon", session_ttl: 10800, auth_window_ttl: 300, locale: "en", coupon_length: 6, coupon_charset: "alnum", sites: [] };
  const name = input({ name: "name", value: i.name || "", required: true, placeholder: "Seaside Hotel guest Wi-Fi" });
  const stratName = nextId("strategy");
  const strategies = h("fieldset", { class: "choice" }, h("legend", { text: "Guests sign in with" }),
    [["coupon", "A coupon code", "Front desk hands out printed codes."], ["oauth2", "An account", "Google, GitHub or Microsoft sign-in."]].map(([v, label, hint]) => {
      const rid = nextId();
      return h("div", { class: "choice-option" }, h("input", { type: "radio", name: "strategy", id: rid, value: v, checked: i.strategy === v, "data-group": stratName }),
        h("label", { for: rid }, h("strong", { text: label }), h("span", { class: "muted", text: hint })));
    }));
  const integration = select("auth_integration_id", [["", integrations.length ? "Choose a provider" : "No sign-in providers yet"], ...integrations.map((a) => [a.id, `${a.name} (${a.type})`])], i.auth_integration_id || "");
  const session = durationField("Internet time per guest", "session_ttl", i.session_ttl, { units: ["minutes", "hours", "days"], hint: "From 20 minutes to 7 days, counted from first sign-in.", min: 1200, max: 604800 });
  const authWin = durationField("Time to finish signing in", "auth_window_ttl", i.auth_window_ttl, { units: ["minutes"], hint: "2 to 15 minutes for the provider's sign-in page.", min: 120, max: 900 });
  const locale = select("locale", LOCALES, i.locale || "en");
  const wifi = input({ name: "wifi_name", value: i.wifi_name || "", maxlength: 32, placeholder: "Hotel Guest" });
  const terms = h("textarea", { name: "terms_text", rows: 4, value: i.terms_text || "", placeholder: "Optional. Guests must accept these before they get online." });
  const translations = LOCALES.map(([code, label]) => ({ code, el: h("textarea", { name: "terms_" + code, rows: 3, value: (i.terms_translations || {})[code] || "", placeholder: `Empty: ${label}-speaking guests see the terms above.`, lang: code }) }));
  const given = translations.filter((t) => t.el.value).length;
  const termsLangs = h("details", { class: "terms-langs", open: given > 0 },
    h("summary", { text: given ? `Terms in other languages (${given})` : "Terms in other languages" }),
    h("p", { class: "hint", text: "Guests whose browser asks for one of these languages see its terms; everyone else sees the terms above." }),
    translations.map((t) => field(LOCALES.find(([c]) => c === t.code)[1], t.el, { wide: true })));
  const length = input({ type: "number", name: "coupon_length", min: 6, max: 16, value: String(i.coupon_length || 6) });
  const charset = select("coupon_charset", [["alnum", "Letters and digits (no look-alikes)"], ["digits", "Digits only"], ["letters", "Letters only (no look-alikes)"]], i.coupon_charset || "alnum");
  const siteRows = sites.map((s) => {
    const chosen = i.sites.find((x) => x.id === s.id);
    const box = h("input", { type: "checkbox", id: nextId(), checked: !!chosen, value: s.id });
    const subnets = input({ name: "subnets", class: "mono", value: chosen ? (chosen.subnets || []).join(", ") : "", placeholder: "none: login page only, e.g. 10.5.50.0/24", "aria-label": `Guest subnets at ${s.name}`, spellcheck: "false" });
    const sync = () => { subnets.disabled = !box.checked; };
    box.addEventListener("change", sync);
    sync();
    return { s, box, subnets, el: h("div", { class: "site-pick" }, h("label", { for: box.id }, box, h("span", { text: s.name })), subnets) };
  });
  const oauthOnly = h("div", { class: "grid-2" },
    field("Sign-in provider", integration, { hint: ctx.can("integrations.manage") ? "Set providers up under Sign-in providers." : "" }), authWin.el);
  const couponOnly = h("div", { class: "grid-2" }, field("Code length", length, { hint: "6 to 16 characters." }), field("Code characters", charset));
  const syncStrategy = () => {
    const v = strategies.querySelector("input:checked")?.value;
    oauthOnly.hidden = v !== "oauth2";
    couponOnly.hidden = v !== "coupon";
  };
  strategies.addEventListener("change", syncStrategy);
  syncStrategy();
  const err = errorBox();
  const save = button(creating ? "Create portal" : "Save details", null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" }, field("Name", name, { hint: "Guests see it as the page title." }), field("Wi-Fi name on cards", wifi, { hint: "The network (SSID) guests join; printed on coupon cards." })),
    strategies,
    oauthOnly,
    h("div", { class: "grid-2" }, session.el, field("Language", locale, { hint: "Guests whose browser asks for another supported language get it." })),
    couponOnly,
    field("Terms of use", terms, { wide: true }),
    termsLangs,
    h("fieldset", { class: "sites-pick" }, h("legend", { text: "Sites" }),
      h("p", { class: "hint", text: sites.length ? "The routers this portal runs on. Guests always get on through the router's login page (login.html). Guest subnets (CIDR, comma separated) are the addresses the portal may also log in directly: a code typed on the portal opened by hand, and the time left shown to a guest. Leave them empty and the portal logs in only guests that came from the login page." : "No routers yet: add one under Sites, then choose it here." }),
      siteRows.map((r) => r.el)),
    manage ? h("div", { class: "form-actions" }, save, creating ? linkButton("Cancel", "#/instances", { kind: "ghost" }) : null) : null);
  if (!manage) for (const el of form.querySelectorAll("input, select, textarea")) el.disabled = true;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const strategy = strategies.querySelector("input:checked")?.value || "coupon";
    const body = {
      name: name.value.trim(), strategy, session_ttl: session.read(), locale: locale.value,
      wifi_name: wifi.value.trim() || null, terms_text: terms.value.trim() || null,
      terms_translations: Object.fromEntries(translations.map((t) => [t.code, t.el.value.trim()]).filter(([, v]) => v)),
      sites: siteRows.filter((r) => r.box.checked).map((r) => ({ id: r.s.id, subnets: r.subnets.value.split(/[\s,]+/).filter(Boolean) })),
    };
    if (strategy === "oauth2") {
      body.auth_integration_id = integration.value || null;
      body.auth_window_ttl = authWin.read();
    } else {
      body.coupon_length = Number(length.value);
      body.coupon_charset = charset.value;
    }
    if (!body.name) return showFormError(form, err, { message: "Give the portal a name.", param: "name" });
    if (isNaN(body.session_ttl)) return showFormError(form, err, { message: "Enter how long guests get online.", param: "session_ttl" });
    await busy(save, "Saving…", async () => {
      try {
        const res = creating ? await api.post("/captive/instances", body) : await api.put("/captive/instances/" + api.seg(i.id), body);
        toast(creating ? "Portal created. Now set its look." : "Details saved.");
        if (creating) ctx.navigate("/instances/" + res.id);
        else document.querySelector(".page-title h1").textContent = res.name;
      } catch (e) {
        if (e.param === "sites" || /^sites/.test(e.param)) e.param = "subnets";
        showFormError(form, err, e);
      }
    });
  });
  return form;
}
