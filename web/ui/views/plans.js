// plans.js: voucher plans, what a code sells: how long a guest is online,
// how fast, how much data, on how many devices, and the price. Admins and
// operators create, change and delete them; the front desk reads them.
// The form is in plans/form.js.

import * as api from "../api.js";
import { h, add } from "../dom.js";
import { page, loading, button, errorBox, emptyState, table } from "../kit.js";
import { listLoader, confirmDelete } from "../list_view.js";
import { duration, speed, dataSize, number } from "../format.js";
import { priceOf } from "../plans.js";
import { planEditor } from "./plans/form.js";
import { t } from "../i18n.js";

export async function plans(ctx) {
  const manage = ctx.can("plans.manage");
  const p = page(t("nav.plans"), { lead: t("planpage.lead") });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  let list = [];
  const edit = (plan) => planEditor(editor, plan, list, load);
  if (manage) {
    add(p.head, h("div", { class: "page-actions" },
      button(t("planpage.new"), () => edit(null), { kind: "primary", iconName: "plus" })));
  }
  add(p.body, editor, listErr.el, listBox);
  const loadList = listLoader("/captive/plans", listBox, listErr, {
    failed: t("planpage.not_loaded"),
    empty: () => emptyState(manage ? t("planpage.none_manage") : t("planpage.none_ask"),
      manage ? button(t("planpage.create_first"), () => edit(null), { kind: "primary", iconName: "plus" }) : null),
    show: (plans) => h("section", { class: "panel" },
      table(planColumns(manage ? { edit, remove } : null), plans, { caption: t("nav.plans") })),
  });
  async function load() {
    list = (await loadList()) || list;
  }
  const remove = (plan) => confirmDelete("/captive/plans/" + api.seg(plan.id), plan.name, {
    body: t("planpage.delete_body"),
    deleted: t("planpage.deleted", { name: plan.name }), done: load, err: listErr,
    conflict: t("planpage.delete_conflict"),
  });
  await load();
}

/** planColumns are the plans table's columns; actions (edit, remove) only for those who may manage. */
function planColumns(actions) {
  const cols = [
    { label: t("planpage.name"), cell: (p) => h("strong", { text: p.name }) },
    { label: t("planpage.online_for"), cell: (p) => duration(p.session_minutes * 60) },
    { label: t("planpage.speed"), cell: (p) => speedCell(p) },
    { label: t("planpage.data"), cell: (p) => dataSize(p.data_limit_mb) },
    { label: t("planpage.devices"), cell: (p) => number(p.devices), className: "num" },
    { label: t("planpage.valid_for"), cell: (p) => duration(p.valid_minutes * 60) },
    { label: t("planpage.price"), cell: (p) => priceOf(p), className: "num" },
  ];
  if (actions) {
    const act = (label, aria, fn, p) => button(label, () => fn(p),
      { kind: "ghost", small: true, attrs: { "aria-label": t(aria, { name: p.name }) } });
    cols.push({ head: h("span", { class: "sr-only", text: t("table.actions") }), className: "col-actions",
      cell: (p) => h("div", { class: "row-actions" },
        act(t("planpage.edit"), "planpage.edit_aria", actions.edit, p),
        act(t("kit.delete"), "planpage.delete_aria", actions.remove, p)) });
  }
  return cols;
}

/** speedCell: "10 Mb/s ↓ 2 Mb/s ↑", or "Unlimited" when neither way is limited. */
function speedCell(p) {
  if (p.download_kbps === null && p.upload_kbps === null) return t("format.unlimited");
  return h("span", { class: "nowrap" }, `${speed(p.download_kbps)} ↓`, h("br"), `${speed(p.upload_kbps)} ↑`);
}
