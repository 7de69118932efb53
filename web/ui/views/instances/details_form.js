// details_form.js: a portal's details: name, Wi-Fi name, how guests sign
// in (a coupon code, with its length and characters, or an account with a
// provider), session length, language, terms of use in several languages,
// and the sites it runs on with their guest subnets.

import * as api from "../../api.js";
import { h, nextId } from "../../dom.js";
import { button, linkButton, select, field, input, durationField, errorBox, showFormError, busy, toast, checkForm }
  from "../../kit.js";
import { t } from "../../i18n.js";

const LOCALES = [["en", "English"], ["de", "Deutsch"], ["es", "Español"], ["fr", "Français"], ["pt", "Português"]];

const NEW_PORTAL = { strategy: "coupon", session_ttl: 10800, auth_window_ttl: 300, locale: "en", coupon_length: 6,
  coupon_charset: "alnum", sites: [] };

/** detailsForm is the form of portal inst (null for a new one); read-only without manage. */
export function detailsForm(ctx, inst, sites, integrations, manage) {
  const creating = !inst;
  const i = inst || NEW_PORTAL;
  const c = controls(ctx, i, sites, integrations);
  const err = errorBox();
  const save = button(creating ? t("portalform.create") : t("portalform.save"), null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" }, field(t("planpage.name"), c.name, { hint: t("portalform.name_hint") }),
      field(t("portalform.wifi"), c.wifi, { hint: t("portalform.wifi_hint") })),
    c.strategies,
    c.oauthOnly,
    h("div", { class: "grid-2" }, c.session.el,
      field(t("shell.language"), c.locale, { hint: t("portalform.locale_hint") })),
    c.couponOnly,
    field(t("portalform.terms"), c.terms, { wide: true }),
    c.termsLangs,
    h("fieldset", { class: "sites-pick" }, h("legend", { text: t("nav.sites") }),
      h("p", { class: "hint", text: sites.length ? t("portalform.sites_hint") : t("portalform.no_routers") }),
      c.siteRows.map((r) => r.el)),
    manage ? h("div", { class: "form-actions" }, save,
      creating ? linkButton(t("kit.cancel"), "#/instances", { kind: "ghost" }) : null) : null);
  if (!manage) for (const el of form.querySelectorAll("input, select, textarea")) el.disabled = true;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = formBody(c);
    if (!body.name) return showFormError(form, err, { message: t("portalform.need_name"), param: "name" });
    if (isNaN(body.session_ttl)) {
      return showFormError(form, err, { message: t("portalform.need_session"), param: "session_ttl" });
    }
    await busy(save, t("planform.saving"), () => saveDetails(ctx, i, creating, body, (e) => showFormError(form, err, e)));
  });
  return form;
}

/** saveDetails creates or updates the portal; fail shows an API error at its field. */
async function saveDetails(ctx, i, creating, body, fail) {
  try {
    const res = creating ? await api.post("/captive/instances", body)
      : await api.put("/captive/instances/" + api.seg(i.id), body);
    toast(creating ? t("portalform.created") : t("portalform.saved"));
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
    terms_translations: Object.fromEntries(c.translations.map((x) => [x.code, x.el.value.trim()]).filter(([, v]) => v)),
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
    name: input({ name: "name", value: i.name || "", required: true, placeholder: t("portalform.name_placeholder") }),
    strategies: strategyChoice(i),
    integration: select("auth_integration_id", [[
      "", integrations.length ? t("portalform.choose_provider") : t("portalform.no_providers")],
    ...integrations.map((a) => [a.id, `${a.name} (${a.type})`])], i.auth_integration_id || ""),
    session: durationField(t("portalform.session"), "session_ttl", i.session_ttl,
      { units: ["minutes", "hours", "days"], hint: t("portalform.session_hint"),
        min: 1200, max: 604800 }),
    authWin: durationField(t("portalform.auth_window"), "auth_window_ttl", i.auth_window_ttl,
      { units: ["minutes"], hint: t("portalform.auth_window_hint"), min: 120, max: 900 }),
    locale: select("locale", LOCALES, i.locale || "en"),
    wifi: input({ name: "wifi_name", value: i.wifi_name || "", maxlength: 32, placeholder: t("portalform.wifi_placeholder") }),
    terms: h("textarea", { name: "terms_text", rows: 4, value: i.terms_text || "",
      placeholder: t("portalform.terms_placeholder") }),
    ...termsTranslations(i),
    length: input({ type: "number", name: "coupon_length", min: 6, max: 16, value: String(i.coupon_length || 6) }),
    charset: select("coupon_charset", [["alnum", t("portalform.alnum")], ["digits", t("portalform.digits")],
      ["letters", t("portalform.letters")]], i.coupon_charset || "alnum"),
    siteRows: sites.map((s) => siteRow(i, s)),
  };
  const providers = ctx.can("integrations.manage") ? t("portalform.providers_hint") : "";
  c.oauthOnly = h("div", { class: "grid-2" },
    field(t("portalform.provider"), c.integration, { hint: providers }), c.authWin.el);
  c.couponOnly = h("div", { class: "grid-2" }, field(t("portalform.code_length"), c.length, { hint: t("portalform.code_length_hint") }),
    field(t("portalform.code_chars"), c.charset));
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
  const choices = [["coupon", t("portalform.coupon"), t("portalform.coupon_hint")],
    ["oauth2", t("portalform.account"), t("portalform.account_hint")]];
  return h("fieldset", { class: "choice" }, h("legend", { text: t("portal.sign_in_with") }),
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
    placeholder: t("portalform.terms_empty", { language: label }), lang: code }) }));
  const given = translations.filter((x) => x.el.value).length;
  const termsLangs = h("details", { class: "terms-langs", open: given > 0 },
    h("summary", { text: given ? t("portalform.terms_langs_n", { n: given }) : t("portalform.terms_langs") }),
    h("p", { class: "hint", text: t("portalform.terms_langs_hint") }),
    translations.map((x) => field(LOCALES.find(([c]) => c === x.code)[1], x.el, { wide: true })));
  return { translations, termsLangs };
}

/** siteRow: a site to tick, and its guest subnets (editable when ticked). */
function siteRow(i, s) {
  const chosen = i.sites.find((x) => x.id === s.id);
  const box = h("input", { type: "checkbox", id: nextId(), checked: !!chosen, value: s.id });
  const subnets = input({ name: "subnets", class: "mono", value: chosen ? (chosen.subnets || []).join(", ") : "",
    placeholder: t("portalform.subnets_placeholder"), "aria-label": t("portalform.subnets_aria", { site: s.name }),
    spellcheck: "false" });
  const sync = () => { subnets.disabled = !box.checked; };
  box.addEventListener("change", sync);
  sync();
  const label = h("label", { for: box.id }, box, h("span", { text: s.name }));
  return { s, box, subnets, el: h("div", { class: "site-pick" }, label, subnets) };
}
