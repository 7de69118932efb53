// table.js: the coupons page's table: a row per code with a box to select
// it, its note, plan and price (when there are plans), status and dates,
// and the buttons of what the role may do with it (note, more time, a new
// device, revoke).

import { h } from "../../dom.js";
import { button, stateBadge } from "../../kit.js";
import { dateTime, relative } from "../../format.js";
import { editNote, extendCoupon, releaseCoupon } from "../../coupon_desk.js";
import { priceOf } from "../../plans.js";
import { t } from "../../i18n.js";

/**
 * couponTable shows the coupons visible, each selectable into
 * state.selected; onSelect runs after a change of selection, actions(c)
 * makes a row's buttons.
 */
export function couponTable(state, visible, { onSelect, actions }) {
  const { selected } = state;
  const plans = state.plans.length ? new Map(state.plans.map((p) => [p.id, p])) : null;
  const all = h("input", { type: "checkbox", "aria-label": t("table.select_all") });
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
    const box = h("input", { type: "checkbox", checked: selected.has(c.id), "aria-label": t("table.select", { code: c.code }) });
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
    h("caption", { class: "sr-only", text: t("nav.coupons") }), tableHead(all, plans), h("tbody", null, body)));
}

function tableHead(all, plans) {
  const th = (text, className) => h("th", { scope: "col", class: className, text });
  return h("thead", null, h("tr", null, h("th", { class: "col-check", scope: "col" }, all),
    [col.code(), col.note(), plans && col.plan(), col.status(), col.useBy(), col.used()].filter(Boolean)
      .map((text) => th(text, text === col.note() ? "col-note" : null)),
    th(col.created(), "col-created"),
    h("th", { scope: "col", class: "col-actions" }, h("span", { class: "sr-only", text: t("table.actions") }))));
}

/** col: the table's column names, in the page's language. */
const col = {
  code: () => t("table.code"), note: () => t("table.note"), plan: () => t("table.plan"),
  status: () => t("table.status"), useBy: () => t("table.use_by"), used: () => t("table.used"),
  created: () => t("table.created"),
};

const none = () => h("span", { class: "muted", text: "—" });

function couponRow(c, box, isSelected, actions, plans) {
  const note = c.note ? h("span", { class: "coupon-note", text: c.note }) : none();
  return h("tr", { class: isSelected ? "is-selected" : null },
    h("td", { class: "col-check" }, box),
    h("td", { data: { label: col.code() } }, h("span", { class: "code", text: c.code })),
    h("td", { class: "col-note", data: { label: col.note() } }, note),
    plans ? h("td", { class: "col-plan", data: { label: col.plan() } }, planCell(c, plans)) : null,
    h("td", { data: { label: col.status() } }, stateBadge(c.status)),
    h("td", { data: { label: col.useBy() } },
      h("span", { title: dateTime(c.expires_at), text: dateTime(c.expires_at) })),
    h("td", { data: { label: col.used() } }, usedCell(c)),
    h("td", { class: "col-created", data: { label: col.created() } }, dateTime(c.created_at)),
    h("td", { class: "col-actions" }, actions));
}

/** planCell: the coupon's plan and the price it was sold at. */
function planCell(c, plans) {
  if (!c.plan_id) return none();
  const p = plans.get(c.plan_id);
  return h("span", null, p ? p.name : t("table.deleted_plan"), h("span", { class: "muted small block", text: priceOf(c) }));
}

/** usedCell: when the code was used, and until when its session runs. */
function usedCell(c) {
  if (!c.redeemed_at) return none();
  const until = c.session_ends_at
    ? h("span", { class: "muted small block", text: t("table.session_until", { time: dateTime(c.session_ends_at) }) })
    : null;
  return h("span", { title: dateTime(c.redeemed_at) }, relative(c.redeemed_at), until);
}

/**
 * rowActions are the buttons of one coupon, by what the role may do and the
 * coupon's state. A change reloads the list; failures go to err.
 */
export function rowActions(ctx, state, c, { err, reload, revoke }) {
  const canEdit = ctx.can("coupons.update");
  const running = c.status === "redeemed" && c.session_ends_at && new Date(c.session_ends_at) > new Date();
  const failed = (what) => (e) => { if (e.status !== 401) err.show(e, t(what, { code: c.code })); };
  const act = (label, dialog, aria, what) => button(label,
    () => (async () => { if (await dialog(state.instId, c)) reload(); })().catch(failed(what)),
    { kind: "ghost", small: true, attrs: { "aria-label": aria } });
  return h("div", { class: "row-actions" },
    canEdit ? act(t("row.note"), editNote, t("row.note_aria", { code: c.code }), "row.note_failed") : null,
    canEdit && c.status !== "revoked" && (c.status !== "redeemed" || running)
      ? act(t("row.extend"), extendCoupon, t("row.extend_aria", { code: c.code }), "row.extend_failed") : null,
    canEdit && running && c.redeemed_mac
      ? act(t("row.release"), releaseCoupon, t("row.release_aria", { code: c.code }), "row.release_failed") : null,
    ctx.can("coupons.revoke") && c.status === "valid"
      ? button(t("row.revoke"), () => revoke([c.id]),
        { kind: "ghost", small: true, attrs: { "aria-label": t("row.revoke_aria", { code: c.code }) } })
      : null);
}
