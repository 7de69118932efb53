// notifications.js: notification groups: who gets each schedule batch by
// e-mail and/or webhook. The form is in notifications/form.js.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, loading, button, errorBox, confirmDialog, toast, emptyState } from "../kit.js";
import { groupEditor } from "./notifications/form.js";

export async function notificationGroups(ctx) {
  const p = page("Notification groups", {
    lead: "Who is sent the codes when a schedule makes a batch: e-mail addresses, a webhook, or both.",
  });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const edit = (g) => groupEditor(editor, g, load);
  add(p.head, h("div", { class: "page-actions" },
    button("New group", () => edit(null), { kind: "primary", iconName: "plus" })));
  add(p.body, editor, listErr.el, listBox);

  async function load() {
    listErr.clear();
    let list;
    try {
      list = await api.get("/captive/notification-groups");
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, "The groups could not be loaded.");
      return;
    }
    if (!list.length) {
      fill(listBox, emptyState("No groups yet. A group can receive each new batch of coupons by e-mail."));
      return;
    }
    fill(listBox, ...list.map((g) => groupPanel(g, edit, remove)));
  }

  async function remove(g) {
    const ok = await confirmDialog({ title: `Delete “${g.name}”?`,
      body: "Schedules that use it must be changed first." });
    if (!ok) return;
    try {
      await api.del("/captive/notification-groups/" + api.seg(g.id));
      toast("Group deleted.");
      load();
    } catch (e) {
      listErr.show(e, `“${g.name}” could not be deleted.`);
    }
  }
  await load();
}

/** groupPanel is one group in the list: its addresses, its webhook, Edit and Delete. */
function groupPanel(g, edit, remove) {
  return panel(g.name,
    h("p", null, g.emails.length ? g.emails.join(", ") : h("span", { class: "muted", text: "No e-mail addresses" })),
    g.webhook_url ? h("p", { class: "mono small", text: "Webhook: " + g.webhook_url }) : null,
    h("div", { class: "form-actions" },
      button("Edit", () => edit(g), { kind: "ghost" }),
      button("Delete", () => remove(g), { kind: "ghost" })));
}
