// sites.js: the routers (sites): list, add/edit, test connection (sync),
// delete, and per site its walled garden and guests online.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, stateBadge, loading, button, linkButton, field, input, select, checkbox, errorBox, showFormError, checkForm, busy, confirmDialog, toast, emptyState } from "../kit.js";
import { relative, dateTime } from "../format.js";
import { walledGarden } from "./walledgarden.js";
import { guestList } from "./guests.js";
import { setupChecklist } from "./setup.js";

export async function sites(ctx) {
  const p = page("Sites", {
    lead: "The MikroTik routers gatehouse manages. Each one runs a hotspot for your guests.",
    actions: ctx.can("sites.manage") ? linkButton("Add router", "#/sites/new", { kind: "primary", iconName: "plus" }) : null,
  });
  add(ctx.main, p.el);
  add(p.body, loading());
  const list = await api.get("/captive/sites");
  if (!list.length) {
    fill(p.body, emptyState("No routers yet. Add your first MikroTik router to start handing out guest Wi-Fi.",
      ctx.can("sites.manage") ? linkButton("Add router", "#/sites/new", { kind: "primary", iconName: "plus" }) : null));
    return;
  }
  fill(p.body, panel(null, table([
    { label: "Name", cell: (s) => h("a", { href: "#/sites/" + encodeURIComponent(s.id), class: "strong", text: s.name }) },
    { label: "Router", cell: (s) => h("span", { class: "mono", text: `${s.host}:${s.port}` + (s.tls ? " (TLS)" : "") }) },
    { label: "State", cell: (s) => stateBadge(s.status?.state || "unknown") },
    { label: "Last contact", cell: (s) => s.status?.last_seen_at ? relative(s.status.last_seen_at) : "never" },
    { label: "Last error", className: "col-error", cell: (s) => s.status?.last_error ? h("span", { class: "error-text", text: s.status.last_error }) : h("span", { class: "muted", text: "none" }) },
  ], list, { caption: "Routers" })));
}

/** siteForm is #/sites/new (and the edit form inside a site's page). */
export async function siteForm(ctx, existing, onSaved) {
  const editing = !!existing;
  const s = existing || { port: 8728, hotspot_server: "all", tls: false };
  const name = input({ name: "name", value: s.name || "", required: true, autocomplete: "off" });
  const host = input({ name: "host", value: s.host || "", required: true, autocomplete: "off", spellcheck: "false", placeholder: "192.168.88.1" });
  const port = input({ type: "number", name: "port", value: String(s.port || ""), min: 1, max: 65535, placeholder: "8728" });
  const user = input({ name: "username", value: s.username || "", required: true, autocomplete: "off", spellcheck: "false" });
  const pass = input({ type: "password", name: "password", autocomplete: "new-password",
    placeholder: editing ? "Leave blank to keep the current password" : "" });
  const tls = checkbox("tls", "Use API-SSL (TLS)", s.tls, { hint: "Encrypts the connection to the router (port 8729)." });
  const fp = input({ name: "tls_fingerprint", value: s.tls_fingerprint || "", class: "mono", spellcheck: "false", placeholder: "SHA-256 in hex, optional" });
  const fpField = field("Certificate fingerprint", fp, { hint: "Pin the router's certificate. Leave blank to accept any certificate." });
  // The hotspot server is chosen from the router's list (read once the
  // router is added); "all" covers every server.
  const current = s.hotspot_server || "all";
  const hs = select("hotspot_server", [["all", "All hotspot servers"]].concat(current !== "all" ? [[current, current]] : []), current);
  if (editing) {
    api.get("/captive/sites/" + api.seg(s.id) + "/hotspot-servers").then((list) => {
      const opts = [["all", "All hotspot servers"]].concat(list.map((x) => [x.name, `${x.name} (${x.interface || "no interface"}${x.disabled ? ", disabled" : ""})`]));
      if (current !== "all" && !list.some((x) => x.name === current)) opts.push([current, `${current} (not on the router)`]);
      fill(hs, opts.map(([v, label]) => h("option", { value: v, selected: v === hs.value, text: label })));
    }).catch(() => { /* the router cannot be read: keep what is stored */ });
  }
  const tlsBox = tls.querySelector("input");
  const syncFp = () => { fpField.hidden = !tlsBox.checked; };
  tlsBox.addEventListener("change", () => {
    syncFp();
    if (port.value === "8728" && tlsBox.checked) port.value = "8729";
    else if (port.value === "8729" && !tlsBox.checked) port.value = "8728";
  });
  syncFp();
  const err = errorBox();
  const save = button(editing ? "Save changes" : "Add router", null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true },
    err.el,
    h("div", { class: "grid-2" },
      field("Name", name, { hint: "What your staff call it, e.g. Lobby router." }),
      field("Hotspot server", hs, { hint: editing ? "Read from the router; all covers every one." : "All covers every one; choose one from the router's list once it is added." }),
      field("Address", host, { hint: "IP address or DNS name of the router." }),
      field("API port", port, { hint: "8728, or 8729 with TLS." }),
      field("User name", user, { hint: "A router user with API access." }),
      field("Password", pass, { hint: editing ? "Stored encrypted; never shown again." : "Stored encrypted; never shown again." })),
    tls, fpField,
    h("div", { class: "form-actions" }, save, editing ? null : linkButton("Cancel", "#/sites", { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = {
      name: name.value.trim(), host: host.value.trim(), username: user.value.trim(),
      tls: tlsBox.checked, tls_fingerprint: tlsBox.checked && fp.value.trim() ? fp.value.trim() : null,
      hotspot_server: hs.value || "all",
    };
    if (port.value) body.port = Number(port.value);
    if (pass.value) body.password = pass.value;
    await busy(save, editing ? "Saving…" : "Adding…", async () => {
      try {
        const res = editing ? await api.put("/captive/sites/" + api.seg(s.id), body) : await api.post("/captive/sites", body);
        pass.value = "";
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
  if (!ctx.can("sites.manage")) {
    add(ctx.main, page("Add router").el, h("p", { class: "not-available", text: "This page is not available for your role." }));
    return;
  }
  const p = page("Add router", { back: { href: "#/sites", label: "Sites" },
    lead: "Give gatehouse API access to a MikroTik router with a hotspot. gatehouse only changes what it created there." });
  add(p.body, panel(null, form));
  add(ctx.main, p.el);
  name.focus();
}

/** siteDetail is #/sites/<id>. */
export async function siteDetail(ctx) {
  const id = ctx.segments[1];
  let site = await api.get("/captive/sites/" + api.seg(id));
  const p = page(site.name, { back: { href: "#/sites", label: "Sites" } });
  add(ctx.main, p.el);
  const statusBox = h("div");
  const result = h("div", { role: "status", class: "sync-result" });
  const syncBtn = ctx.can("sites.sync") ? button("Test connection", null, { kind: "primary", iconName: "refresh" }) : null;
  if (syncBtn) {
    syncBtn.addEventListener("click", () => busy(syncBtn, "Testing…", async () => {
      result.replaceChildren();
      try {
        const r = await api.post("/captive/sites/" + api.seg(id) + "/sync");
        site = await api.get("/captive/sites/" + api.seg(id));
        drawStatus();
        fill(result, syncWords(r, site));
      } catch (e) {
        try {
          site = await api.get("/captive/sites/" + api.seg(id));
          drawStatus();
        } catch { /* keep the old status */ }
        fill(result, h("div", { class: "alert alert-error", role: "alert" },
          h("strong", { text: "The router could not be reached. " }), e.message));
      }
    }));
  }
  function drawStatus() {
    const st = site.status || {};
    p.head.querySelector("h1").replaceChildren(site.name, " ", stateBadge(st.state || "unknown"));
    fill(statusBox, 
      h("dl", { class: "facts" },
        fact("State", stateBadge(st.state || "unknown")),
        fact("Router", h("span", { class: "mono", text: `${site.host}:${site.port}` + (site.tls ? " (TLS)" : "") })),
        fact("Identity", st.identity || "—"),
        fact("RouterOS", st.routeros_version || "—"),
        fact("Last contact", st.last_seen_at ? `${relative(st.last_seen_at)} (${dateTime(st.last_seen_at)})` : "never"),
        fact("Last sync", st.last_sync_at ? `${relative(st.last_sync_at)} (${dateTime(st.last_sync_at)})` : "never")),
      st.last_error ? h("div", { class: "alert alert-error" }, h("strong", { text: "Last error: " }), st.last_error) : null);
  }
  drawStatus();
  add(p.body, panel("Connection", statusBox, h("div", { class: "form-actions" }, syncBtn), result));
  if (ctx.can("sites.sync")) {
    const setupBox = h("div", { class: "setup" });
    add(p.body, panel("Setup checklist", setupBox));
    setupChecklist(ctx, id, setupBox, async () => {
      try {
        site = await api.get("/captive/sites/" + api.seg(id));
        drawStatus();
      } catch { /* keep the old status */ }
    });
  }

  let stopGuests = () => {};
  if (ctx.can("site_users.list")) {
    const guestsBox = h("div");
    add(p.body, panel("Guests online", guestsBox));
    stopGuests = guestList(ctx, id, guestsBox);
  }
  if (ctx.can("walled_garden.read")) {
    const wg = h("div");
    add(p.body, panel("Walled garden", h("p", { class: "muted", text: "Addresses guests can reach before they sign in, such as a booking site or the login servers of a sign-in provider." }), wg));
    walledGarden(ctx, id, wg);
  }
  if (ctx.can("sites.manage")) {
    const form = await siteForm(ctx, site, (saved) => {
      site = saved;
      drawStatus();
    });
    const delBtn = button("Delete router", async () => {
      const ok = await confirmDialog({ title: `Delete ${site.name}?`, body: "gatehouse stops managing this router. Portals that use it lose it. This cannot be undone.", confirm: "Delete router" });
      if (!ok) return;
      try {
        await api.del("/captive/sites/" + api.seg(id));
        toast(`${site.name} deleted.`);
        ctx.navigate("/sites");
      } catch (e) {
        delErr.show(e);
      }
    }, { kind: "danger" });
    const delErr = errorBox();
    add(p.body, panel("Settings", form), panel("Delete", h("p", { class: "muted", text: "Remove this router from gatehouse." }), delErr.el, delBtn));
  }
  return stopGuests;
}

function fact(label, value) {
  return h("div", null, h("dt", { text: label }), h("dd", null, value));
}

/** syncWords turns a SyncResult into a sentence. */
function syncWords(r, site) {
  const online = site.status?.state === "online";
  const changes = [r.added && `${r.added} added`, r.updated && `${r.updated} updated`, r.removed && `${r.removed} removed`].filter(Boolean);
  const what = changes.length ? `Changes on the router: ${changes.join(", ")}.` : "The router already matched; nothing needed changing.";
  if (r.errors && r.errors.length) {
    return h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: online ? "Connected, but some changes failed. " : "The router is offline. " }),
      h("ul", null, r.errors.map((e) => h("li", { text: e }))));
  }
  if (!online) {
    return h("div", { class: "alert alert-error", role: "alert" }, h("strong", { text: "The router is offline. " }), site.status?.last_error || "");
  }
  const who = [site.status.identity, site.status.routeros_version && "RouterOS " + site.status.routeros_version].filter(Boolean).join(", ");
  return h("div", { class: "alert alert-good" }, h("strong", { text: "Connected: the router is online" + (who ? ` (${who}). ` : ". ") }), what);
}
