// sites.js: the routers (sites): list, add/edit, test connection (sync),
// sync now after a dry run, delete, and per site its drift, walled garden
// and guests online.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, stateBadge, loading, button, linkButton, errorBox, busy, confirmDialog, toast, emptyState }
  from "../kit.js";
import { relative, dateTime, lastError } from "../format.js";
import { walledGarden } from "./sites/walled_garden.js";
import { guestList } from "../guest_list.js";
import { setupChecklist } from "./sites/setup.js";
import { siteForm } from "./sites/form.js";
import { syncNow, driftNote } from "./sites/sync.js";
import { t, tn } from "../i18n.js";

export { siteForm };

export async function sites(ctx) {
  const p = page(t("nav.sites"), {
    lead: t("sitepage.lead"),
    actions: ctx.can("sites.manage")
      ? linkButton(t("sitepage.add"), "#/sites/new", { kind: "primary", iconName: "plus" }) : null,
  });
  add(ctx.main, p.el);
  add(p.body, loading());
  const list = await api.get("/captive/sites");
  if (!list.length) {
    fill(p.body, emptyState(t("sitepage.none"),
      ctx.can("sites.manage") ? linkButton(t("sitepage.add"), "#/sites/new", { kind: "primary", iconName: "plus" }) : null));
    return;
  }
  fill(p.body, panel(null, table([
    { label: t("planpage.name"),
      cell: (s) => h("a", { href: "#/sites/" + encodeURIComponent(s.id), class: "strong", text: s.name }) },
    { label: t("sitepage.router"), cell: (s) => h("span", { class: "mono", text: address(s) }) },
    { label: t("dash.state"), cell: (s) => stateBadge(s.status?.state || "unknown") },
    { label: t("dash.last_contact"), cell: (s) => s.status?.last_seen_at ? relative(s.status.last_seen_at) : t("dash.never") },
    { label: t("dash.last_error"), className: "col-error", cell: (s) => s.status?.last_error
      ? h("span", { class: "error-text", text: lastError(s.status) }) : h("span", { class: "muted", text: t("dash.none") }) },
  ], list, { caption: t("sitepage.routers") })));
}

/** siteDetail is #/sites/<id>. */
export async function siteDetail(ctx) {
  const id = ctx.segments[1];
  const site = { current: await api.get("/captive/sites/" + api.seg(id)) };
  const p = page(site.current.name, { back: { href: "#/sites", label: t("nav.sites") } });
  add(ctx.main, p.el);
  const conn = connection(ctx, p, id, site);
  add(p.body, conn.panel);
  if (ctx.can("sites.sync")) {
    const setupBox = h("div", { class: "setup" });
    add(p.body, panel(t("setup.title"), setupBox));
    setupChecklist(ctx, id, setupBox, conn.reload);
  }

  let stopGuests = () => {};
  if (ctx.can("site_users.list")) {
    const guestsBox = h("div");
    add(p.body, panel(t("nav.guests"), guestsBox));
    stopGuests = guestList(ctx, id, guestsBox);
  }
  if (ctx.can("walled_garden.read")) {
    const wg = h("div");
    add(p.body, panel(t("wg.title"), h("p", { class: "muted", text: t("wg.lead") }), wg));
    walledGarden(ctx, id, wg);
  }
  if (ctx.can("sites.manage")) {
    const form = await siteForm(ctx, site.current, (saved) => {
      site.current = saved;
      conn.draw();
    });
    add(p.body, panel(t("sitepage.settings"), form), deletePanel(ctx, id, site));
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
        h("strong", { text: t("sitepage.unreachable") + " " }), e.message));
    }
  });
  const may = ctx.can("sites.sync");
  const testBtn = may ? button(t("sitepage.test"), () => sync(testBtn, t("sitepage.testing"),
    () => api.post("/captive/sites/" + api.seg(id) + "/sync")), { kind: "primary", iconName: "refresh" }) : null;
  const syncBtn = may ? button(t("sync.now"), () => sync(syncBtn, t("sync.comparing"), () => syncNow(id)),
    { iconName: "refresh" }) : null;
  draw();
  return { panel: panel(t("sitepage.connection"), statusBox, h("div", { class: "form-actions" }, testBtn, syncBtn), result),
    draw, reload };
}

function drawStatus(ctx, p, box, site) {
  const st = site.status || {};
  const since = (at) => at ? `${relative(at)} (${dateTime(at)})` : t("dash.never");
  p.head.querySelector("h1").replaceChildren(site.name, " ", stateBadge(st.state || "unknown"));
  fill(box,
    h("dl", { class: "facts" },
      fact(t("dash.state"), stateBadge(st.state || "unknown")),
      fact(t("sitepage.router"), h("span", { class: "mono", text: address(site) })),
      fact(t("sitepage.identity"), st.identity || "—"),
      fact("RouterOS", st.routeros_version || "—"),
      fact(t("dash.last_contact"), since(st.last_seen_at)),
      fact(t("sitepage.last_sync"), since(st.last_sync_at))),
    driftNote(site, ctx.can("audit.read")),
    st.last_error
      ? h("div", { class: "alert alert-error" }, h("strong", { text: t("sitepage.last_error") + " " }), lastError(st)) : null);
}

function deletePanel(ctx, id, site) {
  const delErr = errorBox();
  const delBtn = button(t("sitepage.delete"), async () => {
    const ok = await confirmDialog({ title: t("list.delete_title", { name: site.current.name }),
      body: t("sitepage.delete_body"), confirm: t("sitepage.delete") });
    if (!ok) return;
    try {
      await api.del("/captive/sites/" + api.seg(id));
      toast(t("sitepage.deleted", { name: site.current.name }));
      ctx.navigate("/sites");
    } catch (e) {
      delErr.show(e);
    }
  }, { kind: "danger" });
  return panel(t("kit.delete"), h("p", { class: "muted", text: t("sitepage.delete_lead") }), delErr.el, delBtn);
}

/** address is where gatehouse reaches the router. */
const address = (s) => `${s.host}:${s.port}` + (s.tls ? " (TLS)" : "");

function fact(label, value) {
  return h("div", null, h("dt", { text: label }), h("dd", null, value));
}

/** syncWords turns a SyncResult into a sentence. */
function syncWords(r, site) {
  const online = site.status?.state === "online";
  const changes = [r.added && tn("sitepage.added", r.added), r.updated && tn("sitepage.updated", r.updated),
    r.removed && tn("sitepage.removed", r.removed)].filter(Boolean);
  const what = changes.length ? t("sitepage.changes", { changes: changes.join(", ") }) : t("sitepage.matched");
  if (r.errors && r.errors.length) {
    return h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: (online ? t("sitepage.some_failed") : t("sitepage.offline")) + " " }),
      h("ul", null, r.errors.map((e) => h("li", { text: e }))));
  }
  if (!online) {
    return h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: t("sitepage.offline") + " " }), site.status ? lastError(site.status) : "");
  }
  const version = site.status.routeros_version && "RouterOS " + site.status.routeros_version;
  const who = [site.status.identity, version].filter(Boolean).join(", ");
  return h("div", { class: "alert alert-good" },
    h("strong", { text: (who ? t("sitepage.connected_who", { who }) : t("sitepage.connected")) + " " }), what);
}
