// details_form.js: a portal's details: name, Wi-Fi name, how guests sign
// in (a coupon code, with its length and characters, or an account with a
// provider), session length, language, terms of use in several languages,
// and the sites it runs on with their guest subnets.

import * as api from "../../api.js";
import { h, nextId } from "../../dom.js";
import { button, linkButton, select, field, input, durationField, errorBox, showFormError, busy, toast, checkForm }
  from "../../kit.js";

const LOCALES = [["en", "English"], ["de", "Deutsch"], ["es", "Español"], ["fr", "Français"], ["pt", "Português"]];

const NEW_PORTAL = { strategy: "coupon", session_ttl: 10800, auth_window_ttl: 300, locale: "en", coupon_length: 6,
  coupon_charset: "alnum", sites: [] };

const SITES_HINT = "The routers this portal runs on. Guests always get on through the router's login page "
  + "(login.html). Guest subnets (CIDR, comma separated) are the addresses the portal may also log in directly: "
  + "a code typed on the portal opened by hand, and the time left shown to a guest. Leave them empty and the "
  + "portal logs in only guests that came from the login page.";

/** detailsForm is the form of portal inst (null for a new one); read-only without manage. */
export function detailsForm(ctx, inst, sites, integrations, manage) {
  const creating = !inst;
  const i = inst || NEW_PORTAL;
  const c = controls(ctx, i, sites, integrations);
  const err = errorBox();
  const save = button(creating ? "Create portal" : "Save details", null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" }, field("Name", c.name, { hint: "Guests see it as the page title." }),
      field("Wi-Fi name on cards", c.wifi, { hint: "The network (SSID) guests join; printed on coupon cards." })),
    c.strategies,
    c.oauthOnly,
    h("div", { class: "grid-2" }, c.session.el,
      field("Language", c.locale, { hint: "Guests whose browser asks for another supported language get it." })),
    c.couponOnly,
    field("Terms of use", c.terms, { wide: true }),
    c.termsLangs,
    h("fieldset", { class: "sites-pick" }, h("legend", { text: "Sites" }),
      h("p", { class: "hint",
        text: sites.length ? SITES_HINT : "No routers yet: add one under Sites, then choose it here." }),
      c.siteRows.map((r) => r.el)),
    manage ? h("div", { class: "form-actions" }, save,
      creating ? linkButton("Cancel", "#/instances", { kind: "ghost" }) : null) : null);
  if (!manage) for (const el of form.querySelectorAll("input, select, textarea")) el.disabled = true;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = formBody(c);
    if (!body.name) return showFormError(form, err, { message: "Give the portal a name.", param: "name" });
    if (isNaN(body.session_ttl)) {
      return showFormError(form, err, { message: "Enter how long guests get online.", param: "session_ttl" });
    }
    await busy(save, "Saving…", () => saveDetails(ctx, i, creating, body, (e) => showFormError(form, err, e)));
  });
  return form;
}

/** saveDetails creates or updates the portal; fail shows an API error at its field. */
async function saveDetails(ctx, i, creating, body, fail) {
  try {
    const res = creating ? await api.post("/captive/instances", body)
      : await api.put("/captive/instances/" + api.seg(i.id), body);
    toast(creating ? "Portal created. Now set its look." : "Details saved.");
    if (creating) ctx.navigate("/instances/" + res.id);
    else document.querySelector(".page-title h1").textContent = res.name;
  } catch (e) {
    if (e.param === "sites" || /^sites/.test(e.param)) e.param = "subnets";
    fail(e);
  }
}

/** formBody is the API's portal from the form: only the fields of the chosen way to sign in. */
function formBody(c) {
  const strategy = c.strategies.querySelector("input:checked")?.value || "coupon";
  const body = {
    name: c.name.value.trim(), strategy, session_ttl: c.session.read(), locale: c.locale.value,
    wifi_name: c.wifi.value.trim() || null, terms_text: c.terms.value.trim() || null,
    terms_translations: Object.fromEntries(c.translations.map((t) => [t.code, t.el.value.trim()]).filter(([, v]) => v)),
    sites: c.siteRows.filter((r) => r.box.checked)
      .map((r) => ({ id: r.s.id, subnets: r.subnets.value.split(/[\s,]+/).filter(Boolean) })),
  };
  if (strategy === "oauth2") {
    body.auth_integration_id = c.integration.value || null;
    body.auth_window_ttl = c.authWin.read();
  } else {
    body.coupon_length = Number(c.length.value);
    body.coupon_charset = c.charset.value;
  }
  return body;
}

/** controls are the form's inputs for portal i; the parts of the other way to sign in are hidden. */
function controls(ctx, i, sites, integrations) {
  const c = {
    name: input({ name: "name", value: i.name || "", required: true, placeholder: "Seaside Hotel guest Wi-Fi" }),
    strategies: strategyChoice(i),
    integration: select("auth_integration_id", [[
      "", integrations.length ? "Choose a provider" : "No sign-in providers yet"],
    ...integrations.map((a) => [a.id, `${a.name} (${a.type})`])], i.auth_integration_id || ""),
    session: durationField("Internet time per guest", "session_ttl", i.session_ttl,
      { units: ["minutes", "hours", "days"], hint: "From 20 minutes to 7 days, counted from first sign-in.",
        min: 1200, max: 604800 }),
    authWin: durationField("Time to finish signing in", "auth_window_ttl", i.auth_window_ttl,
      { units: ["minutes"], hint: "2 to 15 minutes for the provider's sign-in page.", min: 120, max: 900 }),
    locale: select("locale", LOCALES, i.locale || "en"),
    wifi: input({ name: "wifi_name", value: i.wifi_name || "", maxlength: 32, placeholder: "Hotel Guest" }),
    terms: h("textarea", { name: "terms_text", rows: 4, value: i.terms_text || "",
      placeholder: "Optional. Guests must accept these before they get online." }),
    ...termsTranslations(i),
    length: input({ type: "number", name: "coupon_length", min: 6, max: 16, value: String(i.coupon_length || 6) }),
    charset: select("coupon_charset", [["alnum", "Letters and digits (no look-alikes)"], ["digits", "Digits only"],
      ["letters", "Letters only (no look-alikes)"]], i.coupon_charset || "alnum"),
    siteRows: sites.map((s) => siteRow(i, s)),
  };
  const providers = ctx.can("integrations.manage") ? "Set providers up under Sign-in providers." : "";
  c.oauthOnly = h("div", { class: "grid-2" },
    field("Sign-in provider", c.integration, { hint: providers }), c.authWin.el);
  c.couponOnly = h("div", { class: "grid-2" }, field("Code length", c.length, { hint: "6 to 16 characters." }),
    field("Code characters", c.charset));
  const syncStrategy = () => {
    const v = c.strategies.querySelector("input:checked")?.value;
    c.oauthOnly.hidden = v !== "oauth2";
    c.couponOnly.hidden = v !== "coupon";
  };
  c.strategies.addEventListener("change", syncStrategy);
  syncStrategy();
  return c;
}

/** strategyChoice: a coupon code or an account. */
function strategyChoice(i) {
  const group = nextId("strategy");
  const choices = [["coupon", "A coupon code", "Front desk hands out printed codes."],
    ["oauth2", "An account", "Google, GitHub or Microsoft sign-in."]];
  return h("fieldset", { class: "choice" }, h("legend", { text: "Guests sign in with" }),
    choices.map(([v, label, hint]) => {
      const rid = nextId();
      return h("div", { class: "choice-option" },
        h("input", { type: "radio", name: "strategy", id: rid, value: v, checked: i.strategy === v,
          "data-group": group }),
        h("label", { for: rid }, h("strong", { text: label }), h("span", { class: "muted", text: hint })));
    }));
}

/** termsTranslations: the terms in each language, folded away unless some are given. */
function termsTranslations(i) {
  const translations = LOCALES.map(([code, label]) => ({ code, el: h("textarea", { name: "terms_" + code, rows: 3,
    value: (i.terms_translations || {})[code] || "",
    placeholder: `Empty: ${label}-speaking guests see the terms above.`, lang: code }) }));
  const given = translations.filter((t) => t.el.value).length;
  const termsLangs = h("details", { class: "terms-langs", open: given > 0 },
    h("summary", { text: given ? `Terms in other languages (${given})` : "Terms in other languages" }),
    h("p", { class: "hint", text: "Guests whose browser asks for one of these languages see its terms; "
      + "everyone else sees the terms above." }),
    translations.map((t) => field(LOCALES.find(([c]) => c === t.code)[1], t.el, { wide: true })));
  return { translations, termsLangs };
}

/** siteRow: a site to tick, and its guest subnets (editable when ticked). */
function siteRow(i, s) {
  const chosen = i.sites.find((x) => x.id === s.id);
  const box = h("input", { type: "checkbox", id: nextId(), checked: !!chosen, value: s.id });
  const subnets = input({ name: "subnets", class: "mono", value: chosen ? (chosen.subnets || []).join(", ") : "",
    placeholder: "none: login page only, e.g. 10.5.50.0/24", "aria-label": `Guest subnets at ${s.name}`,
    spellcheck: "false" });
  const sync = () => { subnets.disabled = !box.checked; };
  box.addEventListener("change", sync);
  sync();
  const label = h("label", { for: box.id }, box, h("span", { text: s.name }));
  return { s, box, subnets, el: h("div", { class: "site-pick" }, label, subnets) };
}
