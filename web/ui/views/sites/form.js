// form.js: a router's settings: name, address, API port and user, TLS with
// an optional certificate pin, and the hotspot server (read from the router
// once it is added). #/sites/new shows it on a page of its own.

import * as api from "../../api.js";
import { h, fill, add } from "../../dom.js";
import { page, panel, button, linkButton, field, input, select, checkbox, errorBox, showFormError, checkForm, busy,
  toast } from "../../kit.js";

/** siteForm is #/sites/new (and the edit form inside a site's page, which it returns). */
export async function siteForm(ctx, existing, onSaved) {
  const editing = !!existing;
  const s = existing || { port: 8728, hotspot_server: "all", tls: false };
  const c = controls(s, editing);
  const err = errorBox();
  const save = button(editing ? "Save changes" : "Add router", null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true },
    err.el,
    h("div", { class: "grid-2" },
      field("Name", c.name, { hint: "What your staff call it, e.g. Lobby router." }),
      field("Hotspot server", c.hs, { hint: editing ? "Read from the router; all covers every one."
        : "All covers every one; choose one from the router's list once it is added." }),
      field("Address", c.host, { hint: "IP address or DNS name of the router." }),
      field("API port", c.port, { hint: "8728, or 8729 with TLS." }),
      field("User name", c.user, { hint: "A router user with API access." }),
      field("Password", c.pass, { hint: "Stored encrypted; never shown again." })),
    c.tls, c.fpField,
    h("div", { class: "form-actions" }, save, editing ? null : linkButton("Cancel", "#/sites", { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    await busy(save, editing ? "Saving…" : "Adding…", async () => {
      try {
        const body = formBody(c);
        const res = editing ? await api.put("/captive/sites/" + api.seg(s.id), body)
          : await api.post("/captive/sites", body);
        c.pass.value = "";
        if (editing) {
          toast("Router saved.");
          onSaved && onSaved(res);
        } else {
          toast("Router added. Test the connection next.");
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
    add(ctx.main, page("Add router").el,
      h("p", { class: "not-available", text: "This page is not available for your role." }));
    return;
  }
  const p = page("Add router", { back: { href: "#/sites", label: "Sites" },
    lead: "Give gatehouse API access to a MikroTik router with a hotspot. "
      + "gatehouse only changes what it created there." });
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
      placeholder: editing ? "Leave blank to keep the current password" : "" }),
    tls: checkbox("tls", "Use API-SSL (TLS)", s.tls, { hint: "Encrypts the connection to the router (port 8729)." }),
    fp: input({ name: "tls_fingerprint", value: s.tls_fingerprint || "", class: "mono", spellcheck: "false",
      placeholder: "SHA-256 in hex, optional" }),
    hs: hotspotServers(s, editing),
  };
  c.fpField = field("Certificate fingerprint", c.fp,
    { hint: "Pin the router's certificate. Leave blank to accept any certificate." });
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
  const all = ["all", "All hotspot servers"];
  const hs = select("hotspot_server", [all].concat(current !== "all" ? [[current, current]] : []), current);
  if (!editing) return hs;
  api.get("/captive/sites/" + api.seg(s.id) + "/hotspot-servers").then((list) => {
    const opts = [all].concat(list.map((x) =>
      [x.name, `${x.name} (${x.interface || "no interface"}${x.disabled ? ", disabled" : ""})`]));
    if (current !== "all" && !list.some((x) => x.name === current)) {
      opts.push([current, `${current} (not on the router)`]);
    }
    fill(hs, opts.map(([v, label]) => h("option", { value: v, selected: v === hs.value, text: label })));
  }).catch(() => { /* the router cannot be read: keep what is stored */ });
  return hs;
}
