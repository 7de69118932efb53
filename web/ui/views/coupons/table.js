// table.js: the coupons page's table: a row per code with a box to select
// it, its note, plan and price (when there are plans), status and dates,
// and the buttons of what the role may do with it (note, more time, a new
// device, revoke).

import { h } from "../../dom.js";
import { button, stateBadge } from "../../kit.js";
import { dateTime, relative } from "../../format.js";
import { editNote, extendCoupon, releaseCoupon } from "../../coupon_desk.js";
import { priceOf } from "../../plans.js";

/**
 * couponTable shows the coupons visible, each selectable into
 * state.selected; onSelect runs after a change of selection, actions(c)
 * makes a row's buttons.
 */
export function couponTable(state, visible, { onSelect, actions }) {
  const { selected } = state;
  const plans = state.plans.length ? new Map(state.plans.map((p) => [p.id, p])) : null;
  const all = h("input", { type: "checkbox", "aria-label": "Select all codes shown" });
  const boxes = [];
  const setAll = () => {
    const n = visible.filter((c) => selected.has(c.id)).length;
    all.checked = n === visible.length;
    all.indeterminate = n > 0 && n < visible.length;
  };
  all.addEventListener("change", () => {
    for (const c of visible) all.checked ? selected.add(c.id) : selected.delete(c.id);
    boxes.forEach((b) => {
      b.checked = all.checked;
      b.closest("tr").classList.toggle("is-selected", all.checked);
    });
    onSelect();
  });
  const body = visible.map((c) => {
    const box = h("input", { type: "checkbox", checked: selected.has(c.id), "aria-label": `Select ${c.code}` });
    boxes.push(box);
    box.addEventListener("change", () => {
      box.checked ? selected.add(c.id) : selected.delete(c.id);
      box.closest("tr").classList.toggle("is-selected", box.checked);
      setAll();
      onSelect();
    });
    return couponRow(c, box, selected.has(c.id), actions(c), plans);
  });
  setAll();
  return h("div", { class: "table-wrap" }, h("table", { class: "table table-coupons" },
    h("caption", { class: "sr-only", text: "Coupons" }), tableHead(all, plans), h("tbody", null, body)));
}

function tableHead(all, plans) {
  const th = (text, className) => h("th", { scope: "col", class: className, text });
  return h("thead", null, h("tr", null, h("th", { class: "col-check", scope: "col" }, all),
    ["Code", "Note", plans && "Plan", "Status", "Use by", "Used"].filter(Boolean)
      .map((t) => th(t, t === "Note" ? "col-note" : null)),
    th("Created", "col-created"),
    h("th", { scope: "col", class: "col-actions" }, h("span", { class: "sr-only", text: "Actions" }))));
}

const none = () => h("span", { class: "muted", text: "—" });

function couponRow(c, box, isSelected, actions, plans) {
  const note = c.note ? h("span", { class: "coupon-note", text: c.note }) : none();
  return h("tr", { class: isSelected ? "is-selected" : null },
    h("td", { class: "col-check" }, box),
    h("td", { data: { label: "Code" } }, h("span", { class: "code", text: c.code })),
    h("td", { class: "col-note", data: { label: "Note" } }, note),
    plans ? h("td", { class: "col-plan", data: { label: "Plan" } }, planCell(c, plans)) : null,
    h("td", { data: { label: "Status" } }, stateBadge(c.status)),
    h("td", { data: { label: "Use by" } }, h("span", { title: dateTime(c.expires_at), text: dateTime(c.expires_at) })),
    h("td", { data: { label: "Used" } }, usedCell(c)),
    h("td", { class: "col-created", data: { label: "Created" } }, dateTime(c.created_at)),
    h("td", { class: "col-actions" }, actions));
}

/** planCell: the coupon's plan and the price it was sold at. */
function planCell(c, plans) {
  if (!c.plan_id) return none();
  const p = plans.get(c.plan_id);
  return h("span", null, p ? p.name : "A deleted plan", h("span", { class: "muted small block", text: priceOf(c) }));
}

/** usedCell: when the code was used, and until when its session runs. */
function usedCell(c) {
  if (!c.redeemed_at) return none();
  const until = c.session_ends_at
    ? h("span", { class: "muted small block", text: `session until ${dateTime(c.session_ends_at)}` }) : null;
  return h("span", { title: dateTime(c.redeemed_at) }, relative(c.redeemed_at), until);
}

/**
 * rowActions are the buttons of one coupon, by what the role may do and the
 * coupon's state. A change reloads the list; failures go to err.
 */
export function rowActions(ctx, state, c, { err, reload, revoke }) {
  const canEdit = ctx.can("coupons.update");
  const running = c.status === "redeemed" && c.session_ends_at && new Date(c.session_ends_at) > new Date();
  const failed = (label) => (e) => { if (e.status !== 401) err.show(e, `${c.code}: ${label.toLowerCase()} failed.`); };
  const act = (label, dialog, aria) => button(label,
    () => (async () => { if (await dialog(state.instId, c)) reload(); })().catch(failed(label)),
    { kind: "ghost", small: true, attrs: { "aria-label": `${aria} ${c.code}` } });
  return h("div", { class: "row-actions" },
    canEdit ? act("Note", editNote, "Edit the note of") : null,
    canEdit && c.status !== "revoked" && (c.status !== "redeemed" || running)
      ? act("Extend", extendCoupon, "More time for") : null,
    canEdit && running && c.redeemed_mac
      ? act("New device", releaseCoupon, "Free for a new device:") : null,
    ctx.can("coupons.revoke") && c.status === "valid"
      ? button("Revoke", () => revoke([c.id]),
        { kind: "ghost", small: true, attrs: { "aria-label": `Revoke ${c.code}` } })
      : null);
}
