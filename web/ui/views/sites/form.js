// form.js: a router's settings: name, address, API port and user, TLS with
// an optional certificate pin, and the hotspot server (read from the router
// once it is added). #/sites/new shows it on a page of its own.

import * as api from "../../api.js";
import { h, fill, add } from "../../dom.js";
import { page, panel, button, linkButton, field, input, select, checkbox, errorBox, showFormError, checkForm, busy,
  toast } from "../../kit.js";
import { t } from "../../i18n.js";

/** siteForm is #/sites/new (and the edit form inside a site's page, which it returns). */
export async function siteForm(ctx, existing, onSaved) {
  const editing = !!existing;
  const s = existing || { port: 8728, hotspot_server: "all", tls: false };
  const c = controls(s, editing);
  const err = errorBox();
  const save = button(editing ? t("siteform.save") : t("sitepage.add"), null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true },
    err.el,
    h("div", { class: "grid-2" },
      field(t("planpage.name"), c.name, { hint: t("siteform.name_hint") }),
      field(t("siteform.hotspot"), c.hs, { hint: editing ? t("siteform.hotspot_hint_edit") : t("siteform.hotspot_hint") }),
      field(t("siteform.address"), c.host, { hint: t("siteform.address_hint") }),
      field(t("siteform.port"), c.port, { hint: t("siteform.port_hint") }),
      field(t("signin.username"), c.user, { hint: t("siteform.user_hint") }),
      field(t("signin.password"), c.pass, { hint: t("siteform.password_hint") })),
    c.tls, c.fpField,
    h("div", { class: "form-actions" }, save, editing ? null : linkButton(t("kit.cancel"), "#/sites", { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    await busy(save, editing ? t("planform.saving") : t("siteform.adding"), async () => {
      try {
        const body = formBody(c);
        const res = editing ? await api.put("/captive/sites/" + api.seg(s.id), body)
          : await api.post("/captive/sites", body);
        c.pass.value = "";
        if (editing) {
          toast(t("siteform.saved"));
          onSaved && onSaved(res);
        } else {
          toast(t("siteform.added"));
          ctx.navigate("/sites/" + res.id);
        }
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  if (editing) return form;
  newSitePage(ctx, form, c.name);
}

/** newSitePage shows the form as #/sites/new, to those who may add routers. */
function newSitePage(ctx, form, name) {
  if (!ctx.can("sites.manage")) {
    add(ctx.main, page(t("sitepage.add")).el,
      h("p", { class: "not-available", text: t("shell.not_for_role") }));
    return;
  }
  const p = page(t("sitepage.add"), { back: { href: "#/sites", label: t("nav.sites") }, lead: t("siteform.lead") });
  add(p.body, panel(null, form));
  add(ctx.main, p.el);
  name.focus();
}

/** formBody is the API's site from the form; an empty password keeps the stored one. */
function formBody(c) {
  const tls = c.tlsBox.checked;
  const body = {
    name: c.name.value.trim(), host: c.host.value.trim(), username: c.user.value.trim(),
    tls, tls_fingerprint: tls && c.fp.value.trim() ? c.fp.value.trim() : null,
    hotspot_server: c.hs.value || "all",
  };
  if (c.port.value) body.port = Number(c.port.value);
  if (c.pass.value) body.password = c.pass.value;
  return body;
}

/** controls are the form's inputs for site s; TLS shows the fingerprint and moves the default port. */
function controls(s, editing) {
  const c = {
    name: input({ name: "name", value: s.name || "", required: true, autocomplete: "off" }),
    host: input({ name: "host", value: s.host || "", required: true, autocomplete: "off", spellcheck: "false",
      placeholder: "192.168.88.1" }),
    port: input({ type: "number", name: "port", value: String(s.port || ""), min: 1, max: 65535, placeholder: "8728" }),
    user: input({ name: "username", value: s.username || "", required: true, autocomplete: "off",
      spellcheck: "false" }),
    pass: input({ type: "password", name: "password", autocomplete: "new-password",
      placeholder: editing ? t("siteform.keep_password") : "" }),
    tls: checkbox("tls", t("siteform.tls"), s.tls, { hint: t("siteform.tls_hint") }),
    fp: input({ name: "tls_fingerprint", value: s.tls_fingerprint || "", class: "mono", spellcheck: "false",
      placeholder: t("siteform.fp_placeholder") }),
    hs: hotspotServers(s, editing),
  };
  c.fpField = field(t("siteform.fp"), c.fp, { hint: t("siteform.fp_hint") });
  c.tlsBox = c.tls.querySelector("input");
  const syncFp = () => { c.fpField.hidden = !c.tlsBox.checked; };
  c.tlsBox.addEventListener("change", () => {
    syncFp();
    if (c.port.value === "8728" && c.tlsBox.checked) c.port.value = "8729";
    else if (c.port.value === "8729" && !c.tlsBox.checked) c.port.value = "8728";
  });
  syncFp();
  return c;
}

/**
 * hotspotServers is the hotspot server picker, filled from the router's
 * list once the router is added; "all" covers every server.
 */
function hotspotServers(s, editing) {
  const current = s.hotspot_server || "all";
  const all = ["all", t("siteform.all_servers")];
  const hs = select("hotspot_server", [all].concat(current !== "all" ? [[current, current]] : []), current);
  if (!editing) return hs;
  api.get("/captive/sites/" + api.seg(s.id) + "/hotspot-servers").then((list) => {
    const opts = [all].concat(list.map((x) =>
      [x.name, `${x.name} (${x.interface || t("siteform.no_interface")}${x.disabled ? ", " + t("siteform.disabled") : ""})`]));
    if (current !== "all" && !list.some((x) => x.name === current)) {
      opts.push([current, t("siteform.not_on_router", { name: current })]);
    }
    fill(hs, opts.map(([v, label]) => h("option", { value: v, selected: v === hs.value, text: label })));
  }).catch(() => { /* the router cannot be read: keep what is stored */ });
  return hs;
}
