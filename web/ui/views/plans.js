// plans.js: voucher plans, what a code sells: how long a guest is online,
// how fast, how much data, on how many devices, and the price. Admins and
// operators create, change and delete them; the front desk reads them.
// The form is in plans/form.js.

import * as api from "../api.js";
import { h, add } from "../dom.js";
import { page, loading, button, errorBox, emptyState, table } from "../kit.js";
import { listLoader, confirmDelete } from "../list_view.js";
import { duration, speed, dataSize } from "../format.js";
import { priceOf } from "../plans.js";
import { planEditor } from "./plans/form.js";

export async function plans(ctx) {
  const manage = ctx.can("plans.manage");
  const p = page("Plans", {
    lead: "What a code sells: how long a guest is online, how fast, how much data, on how many devices, "
      + "and for how much. Pick a plan when you make codes; its details are printed on the card.",
  });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  let list = [];
  const edit = (plan) => planEditor(editor, plan, list, load);
  if (manage) {
    add(p.head, h("div", { class: "page-actions" },
      button("New plan", () => edit(null), { kind: "primary", iconName: "plus" })));
  }
  add(p.body, editor, listErr.el, listBox);
  const loadList = listLoader("/captive/plans", listBox, listErr, {
    failed: "The plans could not be loaded.",
    empty: () => emptyState(manage ? "No plans yet. Without plans, codes are sold as before: the portal's "
      + "internet time, no price." : "No plans yet. Ask your administrator to set them up.",
    manage ? button("Create the first plan", () => edit(null), { kind: "primary", iconName: "plus" }) : null),
    show: (plans) => h("section", { class: "panel" },
      table(planColumns(manage ? { edit, remove } : null), plans, { caption: "Plans" })),
  });
  async function load() {
    list = (await loadList()) || list;
  }
  const remove = (plan) => confirmDelete("/captive/plans/" + api.seg(plan.id), plan.name, {
    body: "Codes already printed keep working. A plan that codes or schedules use cannot be deleted.",
    deleted: `Plan “${plan.name}” deleted.`, done: load, err: listErr,
    conflict: "Coupons or schedules use this plan, so it stays. A plan that codes were made with is kept for "
      + "them; a schedule can be changed to another plan.",
  });
  await load();
}

/** planColumns are the plans table's columns; actions (edit, remove) only for those who may manage. */
function planColumns(actions) {
  const cols = [
    { label: "Name", cell: (p) => h("strong", { text: p.name }) },
    { label: "Online for", cell: (p) => duration(p.session_minutes * 60) },
    { label: "Speed ↓ / ↑", cell: (p) => speedCell(p) },
    { label: "Data", cell: (p) => dataSize(p.data_limit_mb) },
    { label: "Devices", cell: (p) => String(p.devices), className: "num" },
    { label: "Code valid for", cell: (p) => duration(p.valid_minutes * 60) },
    { label: "Price", cell: (p) => priceOf(p), className: "num" },
  ];
  if (actions) {
    const act = (label, fn, p) => button(label, () => fn(p),
      { kind: "ghost", small: true, attrs: { "aria-label": `${label} ${p.name}` } });
    cols.push({ head: h("span", { class: "sr-only", text: "Actions" }), className: "col-actions",
      cell: (p) => h("div", { class: "row-actions" },
        act("Edit", actions.edit, p), act("Delete", actions.remove, p)) });
  }
  return cols;
}

/** speedCell: "10 Mb/s ↓ 2 Mb/s ↑", or "Unlimited" when neither way is limited. */
function speedCell(p) {
  if (p.download_kbps === null && p.upload_kbps === null) return "Unlimited";
  return h("span", { class: "nowrap" }, `${speed(p.download_kbps)} ↓`, h("br"), `${speed(p.upload_kbps)} ↑`);
}
