// app.js: the admin page's shell: sign-in state, the top bar, the
// navigation built from what the caller's role may do, and hash routing
// (#/sites, #/instances/<id>, …) to the views.

import * as api from "./api.js";
import { h, icon, fill, add } from "./dom.js";
import { page, toast } from "./kit.js";
import { t } from "./i18n.js";
import { serverText } from "./format.js";
import { startLanguage, accountLanguage, saveLanguage, languageSelect } from "./lang_switch.js";
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
 * ROUTES: path (first hash segment), nav label (its key in the
 * catalogues, i18n/), the actions a role needs, and the view. A view is (ctx) => optional cleanup function.
 */
const ROUTES = [
  { path: "dashboard", label: "nav.dashboard", icon: "dashboard", need: ["dashboard.read"], view: dashboard },
  { path: "coupons", label: "nav.coupons", deskLabel: "nav.coupons_desk", icon: "ticket", need: ["coupons.list"],
    view: coupons },
  { path: "plans", label: "nav.plans", icon: "tag", need: ["plans.read"], view: plans },
  { path: "sales", label: "nav.sales", icon: "cash", need: ["shifts.read", "ledger.read"], view: sales,
    sub: { "*": shiftDetail } },
  { path: "reports", label: "nav.reports", icon: "chart", need: ["reports.read"], view: reports },
  { path: "guests", label: "nav.guests", icon: "users", need: ["site_users.list"], view: guests },
  { path: "guest-data", label: "nav.guest_data", icon: "person", need: ["guests.manage"], view: guestData },
  { path: "sites", label: "nav.sites", icon: "router", need: ["sites.read"], view: sites,
    sub: { new: siteForm, "*": siteDetail } },
  { path: "instances", label: "nav.instances", icon: "portal", need: ["instances.read"], view: instances,
    sub: { "*": instanceDetail } },
  { path: "schedules", label: "nav.schedules", icon: "clock", need: ["schedules.read", "instances.read"], view: schedules },
  { path: "notifications", label: "nav.notifications", icon: "bell", need: ["schedules.manage"], view: notificationGroups },
  { path: "integrations", label: "nav.integrations", icon: "shield", need: ["integrations.read"], view: integrations },
  { path: "tokens", label: "nav.tokens", icon: "key", need: ["tokens.manage"], view: tokens },
  { path: "print", label: "nav.print", need: ["coupons.list"], view: printView, hidden: true },
  { path: "print-shift", label: "nav.print_shift", need: ["shifts.use"], view: printShiftView, hidden: true },
];

/** ROLE_NAMES: the roles' names by their keys in the catalogues. */
const ROLE_NAMES = { admin: () => t("role.admin"), operator: () => t("role.operator"),
  frontdesk: () => t("role.frontdesk") };
const roleName = (role) => (ROLE_NAMES[role] ? ROLE_NAMES[role]() : role);

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
    icon("menu"), h("span", { text: t("shell.menu") }));
  const nav = h("nav", { id: "nav", class: "nav", "aria-label": t("shell.nav_label") },
    h("ul", null, ROUTES.filter((r) => !r.hidden && allowed(r)).map((r) =>
      h("li", null, h("a", { href: "#/" + r.path, data: { route: r.path } }, icon(r.icon),
        h("span", { text: t(isDesk() && r.deskLabel ? r.deskLabel : r.label) }))))),
    h("p", { class: "nav-user",
      text: t("shell.signed_in_as", { user: state.me.username, role: roleName(state.me.role) }) }));
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
    icon("logout"), h("span", { class: "sign-out-label", text: t("shell.sign_out") }));
  const top = h("header", { class: "topbar" },
    menuBtn,
    h("a", { class: "brand", href: "#" + homePath() },
      h("img", { src: "/ui/logo.svg", alt: "", width: 28, height: 28 }), h("span", { text: "gatehouse" })),
    h("div", { class: "user" },
      h("span", { class: "user-name" }, h("strong", { text: state.me.username }),
        h("span", { class: "role", text: roleName(state.me.role) })),
      languageSelect(switchLanguage), signOutBtn));
  const main = h("main", { id: "main", class: "main", tabindex: "-1" });
  const toMain = (ev) => { ev.preventDefault(); main.focus(); };
  const skip = h("a", { class: "skip", href: "#main", on: { click: toMain } }, t("shell.skip"));
  fill(app, skip, top, setupBanner(state.me.warnings), h("div", { class: "layout" }, nav, main));
  return main;
}

/** setupBanner shows the setup problems /auth/me reports (a loopback base_url) on every page until they are fixed. */
function setupBanner(warnings) {
  if (!warnings || !warnings.length) return null;
  return h("div", { class: "setup-banner", role: "region", "aria-label": t("shell.setup_problems") },
    warnings.map((w) => h("div", { class: "alert alert-warn", role: "alert", data: { warning: w.code } },
      h("strong", { text: t("shell.setup_problem") + " " }), serverText(w.text, w.message),
      w.setting ? h("p", { class: "small" }, t("shell.setting_to_change") + " ", h("code", { text: w.setting }))
        : null)));
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
    notFound(root, t("shell.no_page"));
    return;
  }
  if (!allowed(route)) {
    notFound(root, t("shell.not_for_role"), t("shell.not_available"));
    document.title = `${t("shell.not_available")} · gatehouse`;
    return;
  }
  document.title = `${t(route.label)} · gatehouse`;
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
    if (accountLanguage(state.me)) document.getElementById("app").replaceChildren(); // the shell anew, in its words
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
      h("strong", { text: t("shell.load_failed") + " " }), err && err.message ? err.message : String(err)));
  }
  if (seq !== renders || !root.isConnected) {
    if (cleanup) cleanup(); // another page was opened meanwhile
    return;
  }
  state.cleanup = cleanup;
  const h1 = root.querySelector("h1");
  if (h1 && !root.contains(document.activeElement)) h1.focus({ preventScroll: true });
}

function notFound(root, text, title = t("shell.page_not_found")) {
  const p = page(title);
  add(p.body, h("div", { class: "panel notice-panel" }, h("p", { class: "not-available", text }),
    h("p", null, h("a", { href: "#" + homePath(), text: t("shell.go_start") }))));
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
  document.title = `${t("signin.title")} · gatehouse`;
  signIn(document.getElementById("app"), {
    notice: notice || state.notice,
    language: () => showSignIn(notice),
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
  state.notice = t("shell.signed_out");
  history.replaceState(null, "", "#/");
  render();
}

api.onSessionEnd(() => {
  api.clearToken();
  state.me = null;
  state.notice = t("api.session_ended");
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
window.addEventListener("error", (ev) => toast(t("shell.page_error", { message: ev.message }), "bad"));
window.addEventListener("unhandledrejection", (ev) => {
  const r = ev.reason;
  if (r && r.status === 401) return;
  toast(r && r.message ? r.message : t("shell.went_wrong"), "bad");
});

/**
 * switchLanguage makes code the page's language, kept for the account (or
 * in this browser), and draws the shell and the view anew in its words.
 */
async function switchLanguage(code) {
  try {
    state.me = await saveLanguage(state.me, code);
  } catch (err) {
    if (err.status !== 401) toast(t("shell.lang_not_saved", { message: err.message }), "bad");
  }
  document.getElementById("app").replaceChildren();
  render();
}

startLanguage();
render();
