// notifications.js: notification groups: who gets each schedule batch by
// e-mail and/or webhook. The form is in notifications/form.js.

import * as api from "../api.js";
import { h, add } from "../dom.js";
import { page, panel, loading, button, errorBox, emptyState } from "../kit.js";
import { listLoader, confirmDelete } from "../list_view.js";
import { groupEditor } from "./notifications/form.js";
import { t } from "../i18n.js";

export async function notificationGroups(ctx) {
  const p = page(t("notif.title"), {
    lead: t("notif.lead"),
  });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const edit = (g) => groupEditor(editor, g, load);
  add(p.head, h("div", { class: "page-actions" },
    button(t("notif.new"), () => edit(null), { kind: "primary", iconName: "plus" })));
  add(p.body, editor, listErr.el, listBox);

  const load = listLoader("/captive/notification-groups", listBox, listErr, {
    failed: t("notif.not_loaded"),
    empty: () => emptyState(t("notif.none")),
    show: (list) => list.map((g) => groupPanel(g, edit, remove)),
  });
  const remove = (g) => confirmDelete("/captive/notification-groups/" + api.seg(g.id), g.name, {
    body: t("notif.delete_body"), deleted: t("notif.deleted"), done: load, err: listErr,
  });
  await load();
}

/** groupPanel is one group in the list: its addresses, its webhook, Edit and Delete. */
function groupPanel(g, edit, remove) {
  return panel(g.name,
    h("p", null, g.emails.length ? g.emails.join(", ") : h("span", { class: "muted", text: t("notif.no_emails") })),
    g.webhook_url ? h("p", { class: "mono small", text: t("notif.webhook", { url: g.webhook_url }) }) : null,
    h("div", { class: "form-actions" },
      button(t("planpage.edit"), () => edit(g), { kind: "ghost" }),
      button(t("kit.delete"), () => remove(g), { kind: "ghost" })));
}
