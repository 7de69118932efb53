// sites.js: the routers (sites): list, add/edit, test connection (sync),
// sync now after a dry run, delete, and per site its drift, walled garden
// and guests online.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, stateBadge, loading, button, linkButton, errorBox, busy, confirmDialog, toast, emptyState }
  from "../kit.js";
import { relative, dateTime } from "../format.js";
import { walledGarden } from "./sites/walled_garden.js";
import { guestList } from "../guest_list.js";
import { setupChecklist } from "./sites/setup.js";
import { siteForm } from "./sites/form.js";
import { syncNow, driftNote } from "./sites/sync.js";

export { siteForm };

export async function sites(ctx) {
  const p = page("Sites", {
    lead: "The MikroTik routers gatehouse manages. Each one runs a hotspot for your guests.",
    actions: ctx.can("sites.manage")
      ? linkButton("Add router", "#/sites/new", { kind: "primary", iconName: "plus" }) : null,
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
    { label: "Name",
      cell: (s) => h("a", { href: "#/sites/" + encodeURIComponent(s.id), class: "strong", text: s.name }) },
    { label: "Router", cell: (s) => h("span", { class: "mono", text: address(s) }) },
    { label: "State", cell: (s) => stateBadge(s.status?.state || "unknown") },
    { label: "Last contact", cell: (s) => s.status?.last_seen_at ? relative(s.status.last_seen_at) : "never" },
    { label: "Last error", className: "col-error", cell: (s) => s.status?.last_error
      ? h("span", { class: "error-text", text: s.status.last_error }) : h("span", { class: "muted", text: "none" }) },
  ], list, { caption: "Routers" })));
}

/** siteDetail is #/sites/<id>. */
export async function siteDetail(ctx) {
  const id = ctx.segments[1];
  const site = { current: await api.get("/captive/sites/" + api.seg(id)) };
  const p = page(site.current.name, { back: { href: "#/sites", label: "Sites" } });
  add(ctx.main, p.el);
  const conn = connection(ctx, p, id, site);
  add(p.body, conn.panel);
  if (ctx.can("sites.sync")) {
    const setupBox = h("div", { class: "setup" });
    add(p.body, panel("Setup checklist", setupBox));
    setupChecklist(ctx, id, setupBox, conn.reload);
  }

  let stopGuests = () => {};
  if (ctx.can("site_users.list")) {
    const guestsBox = h("div");
    add(p.body, panel("Guests online", guestsBox));
    stopGuests = guestList(ctx, id, guestsBox);
  }
  if (ctx.can("walled_garden.read")) {
    const wg = h("div");
    add(p.body, panel("Walled garden", h("p", { class: "muted", text: "Addresses guests can reach before they sign in, "
      + "such as a booking site or the login servers of a sign-in provider." }), wg));
    walledGarden(ctx, id, wg);
  }
  if (ctx.can("sites.manage")) {
    const form = await siteForm(ctx, site.current, (saved) => {
      site.current = saved;
      conn.draw();
    });
    add(p.body, panel("Settings", form), deletePanel(ctx, id, site));
  }
  return stopGuests;
}

/**
 * connection is the site's "Connection" panel: its state, and "Test
 * connection" (a sync) with what it did. site.current is the site shown;
 * reload() reads it again, draw() shows it (also in the page heading).
 */
function connection(ctx, p, id, site) {
  const statusBox = h("div");
  const result = h("div", { role: "status", class: "sync-result" });
  const draw = () => drawStatus(ctx, p, statusBox, site.current);
  const reload = async () => {
    try {
      site.current = await api.get("/captive/sites/" + api.seg(id));
      draw();
    } catch { /* keep the old status */ }
  };
  // sync runs fn (a pass, or a dry run and a pass) and shows what it did; fn resolves to null when cancelled.
  const sync = (btn, label, fn) => busy(btn, label, async () => {
    result.replaceChildren();
    try {
      const r = await fn();
      if (!r) return;
      site.current = await api.get("/captive/sites/" + api.seg(id));
      draw();
      fill(result, syncWords(r, site.current));
    } catch (e) {
      await reload();
      fill(result, h("div", { class: "alert alert-error", role: "alert" },
        h("strong", { text: "The router could not be reached. " }), e.message));
    }
  });
  const may = ctx.can("sites.sync");
  const testBtn = may ? button("Test connection", () => sync(testBtn, "Testing…",
    () => api.post("/captive/sites/" + api.seg(id) + "/sync")), { kind: "primary", iconName: "refresh" }) : null;
  const syncBtn = may ? button("Sync now", () => sync(syncBtn, "Comparing…", () => syncNow(id)),
    { iconName: "refresh" }) : null;
  draw();
  return { panel: panel("Connection", statusBox, h("div", { class: "form-actions" }, testBtn, syncBtn), result),
    draw, reload };
}

function drawStatus(ctx, p, box, site) {
  const st = site.status || {};
  const since = (at) => at ? `${relative(at)} (${dateTime(at)})` : "never";
  p.head.querySelector("h1").replaceChildren(site.name, " ", stateBadge(st.state || "unknown"));
  fill(box,
    h("dl", { class: "facts" },
      fact("State", stateBadge(st.state || "unknown")),
      fact("Router", h("span", { class: "mono", text: address(site) })),
      fact("Identity", st.identity || "—"),
      fact("RouterOS", st.routeros_version || "—"),
      fact("Last contact", since(st.last_seen_at)),
      fact("Last sync", since(st.last_sync_at))),
    driftNote(site, ctx.can("audit.read")),
    st.last_error
      ? h("div", { class: "alert alert-error" }, h("strong", { text: "Last error: " }), st.last_error) : null);
}

function deletePanel(ctx, id, site) {
  const delErr = errorBox();
  const delBtn = button("Delete router", async () => {
    const ok = await confirmDialog({ title: `Delete ${site.current.name}?`,
      body: "gatehouse stops managing this router. Portals that use it lose it. This cannot be undone.",
      confirm: "Delete router" });
    if (!ok) return;
    try {
      await api.del("/captive/sites/" + api.seg(id));
      toast(`${site.current.name} deleted.`);
      ctx.navigate("/sites");
    } catch (e) {
      delErr.show(e);
    }
  }, { kind: "danger" });
  return panel("Delete", h("p", { class: "muted", text: "Remove this router from gatehouse." }), delErr.el, delBtn);
}

/** address is where gatehouse reaches the router. */
const address = (s) => `${s.host}:${s.port}` + (s.tls ? " (TLS)" : "");

function fact(label, value) {
  return h("div", null, h("dt", { text: label }), h("dd", null, value));
}

/** syncWords turns a SyncResult into a sentence. */
function syncWords(r, site) {
  const online = site.status?.state === "online";
  const changes = [r.added && `${r.added} added`, r.updated && `${r.updated} updated`,
    r.removed && `${r.removed} removed`].filter(Boolean);
  const what = changes.length ? `Changes on the router: ${changes.join(", ")}.`
    : "The router already matched; nothing needed changing.";
  if (r.errors && r.errors.length) {
    return h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: online ? "Connected, but some changes failed. " : "The router is offline. " }),
      h("ul", null, r.errors.map((e) => h("li", { text: e }))));
  }
  if (!online) {
    return h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: "The router is offline. " }), site.status?.last_error || "");
  }
  const version = site.status.routeros_version && "RouterOS " + site.status.routeros_version;
  const who = [site.status.identity, version].filter(Boolean).join(", ");
  return h("div", { class: "alert alert-good" },
    h("strong", { text: "Connected: the router is online" + (who ? ` (${who}). ` : ". ") }), what);
}
