// notifications.js: notification groups: who gets each schedule batch by
// e-mail and/or webhook. The form is in notifications/form.js.

import * as api from "../api.js";
import { h, add } from "../dom.js";
import { page, panel, loading, button, errorBox, emptyState } from "../kit.js";
import { listLoader, confirmDelete } from "../list_view.js";
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

  const load = listLoader("/captive/notification-groups", listBox, listErr, {
    failed: "The groups could not be loaded.",
    empty: () => emptyState("No groups yet. A group can receive each new batch of coupons by e-mail."),
    show: (list) => list.map((g) => groupPanel(g, edit, remove)),
  });
  const remove = (g) => confirmDelete("/captive/notification-groups/" + api.seg(g.id), g.name, {
    body: "Schedules that use it must be changed first.", deleted: "Group deleted.", done: load, err: listErr,
  });
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
