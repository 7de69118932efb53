// dashboard.js: the numbers at a glance (sites, guests, coupons) and the
// routers that need attention.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, stateBadge, loading, button, linkButton } from "../kit.js";
import { relative, dateTime } from "../format.js";

export async function dashboard(ctx) {
  const p = page("Dashboard", {
    lead: "How your guest Wi-Fi is doing right now.",
    actions: [ctx.can("coupons.create") ? linkButton("Generate coupons", "#/coupons", { kind: "primary", iconName: "ticket" }) : null],
  });
  add(ctx.main, p.el);
  const stats = h("div", { class: "stats" }, loading());
  const sitesBox = h("div", null, loading());
  const refreshed = h("p", { class: "muted small" });
  add(p.body, stats, refreshed, ctx.can("sites.read") ? panel("Sites", sitesBox) : null);

  async function load() {
    const [dash, sites] = await Promise.allSettled([
      api.get("/captive/dashboard" + browserZone()),
      ctx.can("sites.read") ? api.get("/captive/sites") : Promise.resolve([]),
    ]);
    if (dash.status === "fulfilled") {
      const d = dash.value;
      const sites = (n) => `${n} ${n === 1 ? "site" : "sites"}`;
      fill(stats,
        stat("Sites online", `${d.sites.online}`, `of ${sites(d.sites.total)}` + (d.sites.offline ? ` · ${d.sites.offline} offline` : ""), d.sites.offline ? "bad" : d.sites.total ? "good" : ""),
        stat("Guests online", String(d.guests_online), "right now, all sites"),
        stat("Coupons issued", String(d.coupons.issued_today), `today · ${d.coupons.issued_week} this week`),
        stat("Coupons used", String(d.coupons.redeemed_today), `today · ${d.coupons.redeemed_week} this week`));
      refreshed.textContent = "Updated " + dateTime(d.generated_at) + ".";
    } else {
      if (dash.reason && dash.reason.status === 401) return;
      fill(stats, h("div", { class: "alert alert-error", role: "alert" },
        h("strong", { text: "The numbers could not be loaded. " }), dash.reason.message));
      refreshed.textContent = "";
    }
    if (sites.status === "fulfilled") {
      fill(sitesBox, siteTable(sites.value));
    } else {
      fill(sitesBox, h("div", { class: "alert alert-error", role: "alert", text: sites.reason.message }));
    }
  }
  p.head.querySelector(".page-actions")?.prepend(button("Refresh", load, { iconName: "refresh" }));
  await load();
  const timer = setInterval(() => { if (!document.hidden) load().catch(() => {}); }, 60000);
  return () => clearInterval(timer);
}

function stat(label, value, sub, tone) {
  return h("div", { class: ["stat", tone && "stat-" + tone] },
    h("p", { class: "stat-label", text: label }),
    h("p", { class: "stat-value", text: value }),
    h("p", { class: "stat-sub", text: sub }));
}

function siteTable(list) {
  const sorted = [...list].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return table([
    { label: "Site", cell: (s) => h("a", { href: "#/sites/" + encodeURIComponent(s.id), text: s.name }) },
    { label: "State", cell: (s) => stateBadge(s.status?.state || "unknown") },
    { label: "Last contact", cell: (s) => s.status?.last_seen_at ? relative(s.status.last_seen_at) : "never" },
    { label: "Last error", className: "col-error", cell: (s) => s.status?.last_error ? h("span", { class: "error-text", text: s.status.last_error }) : h("span", { class: "muted", text: "none" }) },
  ], sorted, { empty: "No routers yet. Add one under Sites.", caption: "Sites and their state" });
}

const rank = (s) => ({ offline: 0, unknown: 1, online: 2 })[s.status?.state] ?? 1;

/** browserZone is "?tz=<the browser's IANA time zone>", so that "today" is
 * the day at the desk, not on the server; "" when the browser cannot say. */
function browserZone() {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz ? "?tz=" + encodeURIComponent(tz) : "";
  } catch {
    return "";
  }
}
