// schedules.js: recurring coupon batches per portal: create/edit, run now,
// copy the signed link, run history with notification outcomes, print a run.
// The parts are in schedules/.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, loading, button, errorBox, emptyState } from "../kit.js";
import { couponInstances, pickInstance, instancePicker } from "../instance_picker.js";
import { scheduleCard } from "./schedules/card.js";
import { scheduleForm } from "./schedules/form.js";
import { schedulesPath } from "./schedules/path.js";
import { loadPlans } from "../plans.js";
import { t } from "../i18n.js";

export async function schedules(ctx) {
  const [me, plans] = await Promise.all([ctx.refreshMe(), loadPlans(ctx)]); // the page shows at once, whole
  const list = couponInstances(me);
  const p = page(t("nav.schedules"), { lead: t("sched.lead") });
  add(ctx.main, p.el);
  if (!list.length) {
    add(p.body, emptyState(t("sched.no_portal")));
    return;
  }
  const manage = ctx.can("schedules.manage");
  // groups: notification groups, for the form and the cards (optional); plans: for the form and the
  // cards (optional); flash: schedule id → message to show after the list reloads.
  const state = { instId: pickInstance(list, ctx.params.get("instance")), manage, groups: [], flash: new Map(),
    plans };
  const listBox = h("div", null, loading());
  const editorBox = h("div");
  const listErr = errorBox();
  const groupsReady = manage
    ? api.get("/captive/notification-groups").then((g) => { state.groups = g; }, () => {}) : Promise.resolve();
  const picker = instancePicker(list, state.instId, "schedules", (id) => {
    state.instId = id;
    editorBox.replaceChildren();
    load();
  });
  const edit = async (s) => {
    await groupsReady;
    scheduleForm(state, s, editorBox, load);
  };
  const newBtn = manage ? button(t("sched.new"), () => edit(null), { kind: "primary", iconName: "plus" }) : null;
  add(p.head, h("div", { class: "page-actions" }, newBtn));
  add(p.body, picker, editorBox, listErr.el, listBox);

  async function load() {
    await groupsReady;
    listErr.clear();
    let items;
    try {
      items = await api.get(schedulesPath(state));
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, t("sched.not_loaded"));
      return;
    }
    if (!items.length) {
      const first = newBtn
        ? button(t("sched.create_first"), () => edit(null), { kind: "primary", iconName: "plus" }) : null;
      fill(listBox, emptyState(t("sched.none"), first));
      return;
    }
    fill(listBox, ...items.map((s) => scheduleCard(ctx, state, s, { load, edit })));
  }

  await load();
}
