// shift.js: the coupons page's shift bar: the clerk's shift at a glance
// ("Shift open since 14:02 · 3 sold · €18.00") with "Close shift", or,
// while plans have prices and no shift is open, a nudge to open one; after
// the close, the Z-report with its Print button. Selling works either way.

import { h, fill } from "../../dom.js";
import { panel, button, errorBox } from "../../kit.js";
import { amount, clock } from "../../format.js";
import { myShift, openShift, closeShift, printShift } from "../../shift_desk.js";
import { zReport } from "../../z_report.js";
import { t, tn } from "../../i18n.js";

/**
 * firstShift starts reading the caller's open shift for shiftBar, so that
 * the page shows with its bar at once (a bar appearing later would move
 * the sell buttons under the clerk's finger); null for roles without
 * shifts.
 */
export function firstShift(ctx) {
  return ctx.can("shifts.use") ? myShift().then((rep) => ({ rep }), (error) => ({ error })) : null;
}

/**
 * shiftBar is the bar for the page's state (plans, instId; venue() names
 * the portal), showing first (firstShift's outcome), or null when the role
 * runs no shifts. load() reads the caller's open shift again (after a void).
 */
export function shiftBar(ctx, state, { venue, first }) {
  if (!ctx.can("shifts.use")) return null;
  const priced = state.plans.filter((p) => p.price > 0);
  const err = errorBox();
  const bar = h("div", { class: "shift-bar", role: "region", "aria-label": t("shift.your_shift"), hidden: true });
  const closed = h("div");
  const el = h("div", { class: "shift-desk", hidden: true }, err.el, bar, closed);
  // The bar takes no room on a page where it has nothing to say.
  const sync = () => { el.hidden = bar.hidden && !closed.firstChild && err.el.hidden; };
  let rep = null;
  const fail = (e, title = t("shift.not_changed")) => {
    if (e.status !== 401) err.show(e, title);
    sync();
  };

  // A refused open or close (e.g. done meanwhile in another tab) shows the
  // shift as it now is, then why.
  const refused = (e) => load().then(() => fail(e));
  const open = () => openShift(mainCurrency(priced)).then((r) => {
    if (!r) return;
    rep = r;
    closed.replaceChildren();
    draw();
  }, refused);
  const close = () => closeShift(rep).then((z) => {
    if (!z) return;
    rep = null;
    showZ(z);
    draw();
  }, refused);

  function draw() {
    bar.hidden = !rep && !priced.length;
    sync();
    if (!rep) {
      bar.className = "shift-bar alert alert-warn";
      fill(bar, h("p", null, h("strong", { text: t("shift.none_open") }), " " + t("shift.none_open_hint")),
        button(t("shift.open"), open, { kind: "primary" }));
      return;
    }
    bar.className = "shift-bar alert alert-info";
    fill(bar, h("p", { class: "shift-now" },
      h("strong", { text: t("shift.open_since", { time: clock(rep.shift.opened_at) }) }),
      ...takings(rep).map((word) => [" · ", h("span", { class: "nowrap", text: word })])),
    button(t("shift.close"), close, { kind: "secondary" }));
  }

  function showZ(z) {
    const print = button(t("shift.print_z"), () => printShift(ctx, z.shift.id, state.instId),
      { kind: "primary", iconName: "print" });
    fill(closed, panel(t("shift.closed"), h("div", { class: "z-report-box" }, zReport(z, { venue: venue() })),
      h("div", { class: "form-actions" }, print,
        button(t("shift.done"), () => { closed.replaceChildren(); sync(); }, { kind: "ghost" }))));
    sync();
    print.focus();
  }

  async function load() {
    err.clear();
    try {
      rep = await myShift();
    } catch (e) {
      fail(e, t("shift.not_loaded"));
      return;
    }
    draw();
  }
  if (first.error) {
    fail(first.error, t("shift.not_loaded"));
  } else {
    rep = first.rep;
    draw();
  }
  return { el, load };
}

/** takings: "3 sold", "1 voided", "€10.00" (net, per currency) of an open shift's report. */
function takings(rep) {
  const sold = rep.totals.reduce((n, x) => n + x.sales, 0);
  const voided = rep.totals.reduce((n, x) => n + x.voids, 0);
  const net = rep.totals.filter((x) => x.sales || x.voids).map((x) => amount(x.net, x.currency));
  return [tn("shift.sold", sold), voided ? tn("shift.voided", voided) : null, ...net].filter(Boolean);
}

/** mainCurrency is the currency most priced plans sell in ("" without any). */
function mainCurrency(plans) {
  const n = new Map();
  for (const p of plans) n.set(p.currency, (n.get(p.currency) || 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0] || "";
}
