// dashboard.js: the numbers at a glance (sites, guests, coupons), charts
// of sales and use for those who may read reports (dashboard/charts.js),
// the codes left per portal with "Print one" to sell a voucher in one
// click, the next schedule run, and the routers (state, RouterOS version,
// CPU load, uptime).

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, stateBadge, loading, button, linkButton, busy } from "../kit.js";
import { relative, dateTime, dateTimeIn, shortDuration, browserZone, number, percent, lastError } from "../format.js";
import { printOne } from "../coupon_desk.js";
import { dashboardCharts } from "./dashboard/charts.js";
import { t, tn } from "../i18n.js";

const CHART_EVERY = 5; // the charts are redrawn every fifth refresh (5 minutes)

export async function dashboard(ctx) {
  const p = page(t("nav.dashboard"), {
    lead: t("dash.lead"),
    actions: [ctx.can("coupons.create")
      ? linkButton(t("dash.generate"), "#/coupons", { kind: "primary", iconName: "ticket" }) : null],
  });
  add(ctx.main, p.el);
  const stats = h("div", { class: "stats" }, loading());
  const sitesBox = h("div", null, loading());
  const refreshed = h("p", { class: "muted small" });
  const portalsBox = h("div", null, loading());
  const charts = ctx.can("reports.read") ? dashboardCharts() : null;
  add(p.body, stats, refreshed, charts?.el, ctx.can("coupons.list") ? panel(t("dash.codes_left"), portalsBox) : null,
    ctx.can("sites.read") ? panel(t("nav.sites"), sitesBox) : null);

  async function load(withCharts = true) {
    if (charts && withCharts) charts.load();
    const tz = browserZone(); // "today" is the day at the desk, not on the server
    const [dash, sites] = await Promise.allSettled([
      api.get("/captive/dashboard" + (tz ? "?tz=" + encodeURIComponent(tz) : "")),
      ctx.can("sites.read") ? api.get("/captive/sites") : Promise.resolve([]),
    ]);
    if (dash.status === "fulfilled") {
      const d = dash.value;
      fill(stats,
        stat(t("dash.sites_online"), number(d.sites.online),
          tn("dash.of_sites", d.sites.total) + (d.sites.offline ? " · " + t("dash.n_offline", { n: number(d.sites.offline) }) : ""),
          d.sites.offline ? "bad" : d.sites.total ? "good" : ""),
        stat(t("nav.guests"), number(d.guests_online), t("dash.all_sites_now")),
        stat(t("dash.issued"), number(d.coupons.issued_today), t("dash.today_week", { n: number(d.coupons.issued_week) })),
        stat(t("dash.used"), number(d.coupons.redeemed_today), t("dash.today_week", { n: number(d.coupons.redeemed_week) })));
      refreshed.textContent = t("dash.updated", { time: dateTime(d.generated_at) });
      fill(portalsBox, portalList(ctx, d.portals || []), nextRun(d.next_schedule_run));
    } else {
      if (dash.reason && dash.reason.status === 401) return;
      fill(stats, h("div", { class: "alert alert-error", role: "alert" },
        h("strong", { text: t("dash.not_loaded") + " " }), dash.reason.message));
      refreshed.textContent = "";
      portalsBox.replaceChildren();
    }
    if (sites.status === "fulfilled") {
      fill(sitesBox, siteTable(sites.value));
    } else {
      fill(sitesBox, h("div", { class: "alert alert-error", role: "alert", text: sites.reason.message }));
    }
  }
  p.head.querySelector(".page-actions")?.prepend(button(t("guestlist.refresh"), () => load(), { iconName: "refresh" }));
  await load();
  let ticks = 0;
  const timer = setInterval(() => { if (!document.hidden) load(++ticks % CHART_EVERY === 0).catch(() => {}); }, 60000);
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
    { label: t("guestpage.site"), cell: (s) => h("a", { href: "#/sites/" + encodeURIComponent(s.id), text: s.name }) },
    { label: t("dash.state"), cell: (s) => stateBadge(s.status?.state || "unknown") },
    { label: t("dash.last_contact"), cell: (s) => s.status?.last_seen_at ? relative(s.status.last_seen_at) : t("dash.never") },
    { label: "RouterOS", cell: (s) => s.status?.routeros_version
      ? h("span", { class: "mono", text: s.status.routeros_version }) : dash() },
    // CPU load and uptime show once the router layer reports them.
    { label: "CPU", cell: (s) => s.status?.cpu_load != null ? percent(s.status.cpu_load) : dash() },
    { label: t("dash.uptime"), cell: (s) => s.status?.uptime != null ? shortDuration(s.status.uptime) : dash() },
    { label: t("dash.last_error"), className: "col-error", cell: (s) => s.status?.last_error
      ? h("span", { class: "error-text", text: lastError(s.status) }) : h("span", { class: "muted", text: t("dash.none") }) },
  ], sorted, { empty: t("guestpage.no_routers_add"), caption: t("dash.sites_caption") });
}

const dash = () => h("span", { class: "muted", text: "—", title: t("dash.not_reported") });

/** portalList: each coupon portal's unused codes, with Print one for roles that make codes. */
function portalList(ctx, portals) {
  if (!portals.length) return h("p", { class: "empty", text: t("dash.no_portals") });
  return h("ul", { class: "portal-codes" }, portals.map((p) => {
    const one = ctx.can("coupons.create") ? button(t("generate.print_one"), () => busy(one, t("generate.printing"), async () => {
      try {
        await printOne(ctx, p.id, { minutes: 1440 });
      } catch (e) {
        err.textContent = e.message;
      }
    }), { iconName: "print", small: true,
      attrs: { "aria-label": t("dash.print_one_aria", { name: p.name }),
        title: t("dash.print_one_title") } })
      : null;
    const err = h("span", { class: "error-text small", role: "status" });
    return h("li", { class: p.unused_codes ? null : "is-empty" },
      h("div", null, h("a", { href: "#/coupons?instance=" + encodeURIComponent(p.id), text: p.name }),
        h("div", { class: "muted small",
          text: tn("dash.unused_left", p.unused_codes) })),
      h("strong", { class: "portal-count", text: number(p.unused_codes) }), one, err);
  }));
}

/** nextRun: when the next scheduled batch is made, in its schedule's time zone. */
function nextRun(n) {
  return h("p", { class: "next-run" }, h("span", { class: "muted", text: t("dash.next_batch") + " " }),
    n ? h("span", null, h("strong", { text: n.schedule_name }),
      ` · ${dateTimeIn(n.at, n.timezone)} (${relative(n.at)})`)
      : h("span", { text: t("dash.no_schedules") }));
}

const rank = (s) => ({ offline: 0, unknown: 1, online: 2 })[s.status?.state] ?? 1;
