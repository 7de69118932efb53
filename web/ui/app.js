// app.js: the admin page's shell: sign-in state, the top bar, the
// navigation built from what the caller's role may do, and hash routing
// (#/sites, #/instances/<id>, …) to the views.

import * as api from "./api.js";
import { h, icon, fill, add } from "./dom.js";
import { page, toast } from "./kit.js";
import { signIn } from "./views/signin.js";
import { dashboard } from "./views/dashboard.js";
import { sites, siteDetail, siteForm } from "./views/sites.js";
import { instances, instanceDetail } from "./views/instances.js";
import { coupons } from "./views/coupons.js";
import { plans } from "./views/plans.js";
import { printView } from "./views/print.js";
import { sales, shiftDetail } from "./views/sales.js";
import { reports } from "./views/reports.js";
import { printShiftView } from "./views/print_shift.js";
import { schedules } from "./views/schedules.js";
import { guests } from "./views/guests.js";
import { guestData } from "./views/guest_data.js";
import { tokens } from "./views/tokens.js";
import { notificationGroups } from "./views/notifications.js";
import { integrations } from "./views/integrations.js";

/**
 * ROUTES: path (first hash segment), nav label, the actions a role needs,
 * and the view. A view is (ctx) => optional cleanup function.
 */
const ROUTES = [
  { path: "dashboard", label: "Dashboard", icon: "dashboard", need: ["dashboard.read"], view: dashboard },
  { path: "coupons", label: "Coupons", deskLabel: "Generate and print coupons", icon: "ticket", need: ["coupons.list"],
    view: coupons },
  { path: "plans", label: "Plans", icon: "tag", need: ["plans.read"], view: plans },
  { path: "sales", label: "Sales", icon: "cash", need: ["shifts.read", "ledger.read"], view: sales,
    sub: { "*": shiftDetail } },
  { path: "reports", label: "Reports", icon: "chart", need: ["reports.read"], view: reports },
  { path: "guests", label: "Guests online", icon: "users", need: ["site_users.list"], view: guests },
  { path: "guest-data", label: "Guest data", icon: "person", need: ["guests.manage"], view: guestData },
  { path: "sites", label: "Sites", icon: "router", need: ["sites.read"], view: sites,
    sub: { new: siteForm, "*": siteDetail } },
  { path: "instances", label: "Portals", icon: "portal", need: ["instances.read"], view: instances,
    sub: { "*": instanceDetail } },
  { path: "schedules", label: "Schedules", icon: "clock", need: ["schedules.read", "instances.read"], view: schedules },
  { path: "notifications", label: "Notifications", icon: "bell", need: ["schedules.manage"], view: notificationGroups },
  { path: "integrations", label: "Sign-in providers", icon: "shield", need: ["integrations.read"], view: integrations },
  { path: "tokens", label: "API tokens", icon: "key", need: ["tokens.manage"], view: tokens },
  { path: "print", label: "Print coupons", need: ["coupons.list"], view: printView, hidden: true },
  { path: "print-shift", label: "Print shift report", need: ["shifts.use"], view: printShiftView, hidden: true },
];

const ROLE_NAMES = { admin: "Admin", operator: "Operator", frontdesk: "Front desk" };

const state = { me: null, cleanup: null, notice: "" };
let renders = 0; // counts view renders, to drop the cleanup of a page left while loading

const can = (action) => !!state.me && state.me.actions.includes(action);
const allowed = (route) => route.need.every(can);
const isDesk = () => state.me && state.me.role === "frontdesk";

/** parseHash: "#/sites/abc?x=1" → {segments: ["sites","abc"], params}. */
function parseHash() {
  const raw = location.hash.startsWith("#/") ? location.hash.slice(2) : "";
  const [path, query] = raw.split("?");
  return {
    segments: path.split("/").filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(query || ""),
  };
}

/** navigate goes to a hash path like "/sites/abc". */
export function navigate(path, replace) {
  const hash = "#" + path;
  if (location.hash === hash) {
    render();
  } else if (replace) {
    history.replaceState(null, "", hash);
    render();
  } else {
    location.hash = hash;
  }
}

function homePath() {
  const first = ROUTES.find((r) => !r.hidden && allowed(r));
  return first ? "/" + first.path : "/coupons";
}

function shell() {
  const app = document.getElementById("app");
  const menuBtn = h("button",
    { type: "button", class: "btn btn-ghost menu-btn", "aria-expanded": "false", "aria-controls": "nav" },
    icon("menu"), h("span", { text: "Menu" }));
  const nav = h("nav", { id: "nav", class: "nav", "aria-label": "Main" },
    h("ul", null, ROUTES.filter((r) => !r.hidden && allowed(r)).map((r) =>
      h("li", null, h("a", { href: "#/" + r.path, data: { route: r.path } }, icon(r.icon),
        h("span", { text: isDesk() && r.deskLabel ? r.deskLabel : r.label }))))),
    h("p", { class: "nav-user",
      text: `Signed in as ${state.me.username} (${ROLE_NAMES[state.me.role] || state.me.role})` }));
  menuBtn.addEventListener("click", () => {
    const open = menuBtn.getAttribute("aria-expanded") !== "true";
    menuBtn.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
  nav.addEventListener("click", (ev) => {
    if (ev.target.closest("a")) {
      menuBtn.setAttribute("aria-expanded", "false");
      nav.classList.remove("open");
    }
  });
  const signOutBtn = h("button", { type: "button", class: "btn btn-ghost", on: { click: signOut } },
    icon("logout"), h("span", { text: "Sign out" }));
  const top = h("header", { class: "topbar" },
    menuBtn,
    h("a", { class: "brand", href: "#" + homePath() },
      h("img", { src: "/ui/logo.svg", alt: "", width: 28, height: 28 }), h("span", { text: "gatehouse" })),
    h("div", { class: "user" },
      h("span", { class: "user-name" }, h("strong", { text: state.me.username }),
        h("span", { class: "role", text: ROLE_NAMES[state.me.role] || state.me.role })),
      signOutBtn));
  const main = h("main", { id: "main", class: "main", tabindex: "-1" });
  const toMain = (ev) => { ev.preventDefault(); main.focus(); };
  const skip = h("a", { class: "skip", href: "#main", on: { click: toMain } }, "Skip to content");
  fill(app, skip, top, setupBanner(state.me.warnings), h("div", { class: "layout" }, nav, main));
  return main;
}

/** setupBanner shows the setup problems /auth/me reports (a loopback base_url) on every page until they are fixed. */
function setupBanner(warnings) {
  if (!warnings || !warnings.length) return null;
  return h("div", { class: "setup-banner", role: "region", "aria-label": "Setup problems" },
    warnings.map((w) => h("div", { class: "alert alert-warn", role: "alert", data: { warning: w.code } },
      h("strong", { text: "Setup problem: " }), w.message,
      w.setting ? h("p", { class: "small" }, "Setting to change: ", h("code", { text: w.setting })) : null)));
}

/** render shows the view for the current hash. */
async function render() {
  runCleanup();
  if (!api.getToken()) {
    showSignIn();
    return;
  }
  if (!(await loadMe())) return;
  let main = document.getElementById("main");
  if (!main) main = shell();
  const { segments, params } = parseHash();
  if (!segments.length) {
    navigate(homePath(), true);
    return;
  }
  const route = ROUTES.find((r) => r.path === segments[0]);
  markNav(segments[0]);
  const root = h("div", { class: "view" }); // a stale view writes into a detached root
  fill(main, root);
  let view = route && route.view;
  if (route && segments.length > 1 && route.sub) view = route.sub[segments[1]] || route.sub["*"];
  if (!route) {
    notFound(root, "There is no page at this address.");
    return;
  }
  if (!allowed(route)) {
    notFound(root, "This page is not available for your role.", "Not available");
    document.title = "Not available · gatehouse";
    return;
  }
  document.title = `${route.label} · gatehouse`;
  const ctx = { main: root, segments, params, me: state.me, can, navigate, refreshMe, isDesk: isDesk() };
  await showView(view, ctx);
}

/** runCleanup ends the previous view (its timers, its print stylesheet). */
function runCleanup() {
  if (!state.cleanup) return;
  try {
    state.cleanup();
  } catch {
    /* a view's cleanup must not stop navigation */
  }
  state.cleanup = null;
}

/** loadMe fetches /auth/me once per sign-in; false when the page went to the sign-in form. */
async function loadMe() {
  if (state.me) return true;
  try {
    state.me = await api.get("/auth/me");
    return true;
  } catch (err) {
    if (err.status !== 401) showSignIn(err.message);
    return false; // 401 already went to the sign-in page
  }
}

/** markNav marks the navigation link of the current route. */
function markNav(path) {
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.route === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** showView runs view into ctx.main, keeps its cleanup and focuses its heading. */
async function showView(view, ctx) {
  const root = ctx.main;
  const seq = ++renders;
  let cleanup = null;
  try {
    cleanup = (await view(ctx)) || null;
  } catch (err) {
    if (err && err.status === 401) return;
    fill(root, h("div", { class: "alert alert-error", role: "alert" },
      h("strong", { text: "This page could not be loaded. " }), err && err.message ? err.message : String(err)));
  }
  if (seq !== renders || !root.isConnected) {
    if (cleanup) cleanup(); // another page was opened meanwhile
    return;
  }
  state.cleanup = cleanup;
  const h1 = root.querySelector("h1");
  if (h1 && !root.contains(document.activeElement)) h1.focus({ preventScroll: true });
}

function notFound(root, text, title = "Page not found") {
  const p = page(title);
  add(p.body, h("div", { class: "panel notice-panel" }, h("p", { class: "not-available", text }),
    h("p", null, h("a", { href: "#" + homePath(), text: "Go to the start page" }))));
  fill(root, p.el);
  p.el.querySelector("h1").focus();
}

/** refreshMe reloads /auth/me (instances and sites change). */
async function refreshMe() {
  state.me = await api.get("/auth/me");
  return state.me;
}

function showSignIn(notice) {
  state.me = null;
  document.title = "Sign in · gatehouse";
  signIn(document.getElementById("app"), {
    notice: notice || state.notice,
    async done(token) {
      api.setToken(token);
      state.notice = "";
      state.me = null;
      document.getElementById("app").replaceChildren();
      if (!location.hash.startsWith("#/") || location.hash === "#/signin") history.replaceState(null, "", "#/");
      await render();
    },
  });
  state.notice = "";
}

async function signOut() {
  try {
    await api.post("/auth/logout", undefined, { anonymous: false });
  } catch {
    /* the token is dropped either way */
  }
  api.clearToken();
  state.me = null;
  state.notice = "You are signed out.";
  history.replaceState(null, "", "#/");
  render();
}

api.onSessionEnd(() => {
  api.clearToken();
  state.me = null;
  state.notice = "Your session ended, sign in again.";
  if (state.cleanup) {
    try {
      state.cleanup();
    } catch {
      /* ignore */
    }
    state.cleanup = null;
  }
  showSignIn();
});

window.addEventListener("hashchange", () => {
  if (location.hash.startsWith("#/") || location.hash === "" || location.hash === "#") render();
});
window.addEventListener("error", (ev) => toast("Something went wrong on this page: " + ev.message, "bad"));
window.addEventListener("unhandledrejection", (ev) => {
  const r = ev.reason;
  if (r && r.status === 401) return;
  toast(r && r.message ? r.message : "Something went wrong.", "bad");
});

render();
