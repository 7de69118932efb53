// notifications.js: notification groups: who gets each schedule batch by
// e-mail and/or webhook.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, loading, button, field, input, errorBox, showFormError, busy, confirmDialog, toast, emptyState, copyBox, checkForm } from "../kit.js";

export async function notificationGroups(ctx) {
  const p = page("Notification groups", { lead: "Who is sent the codes when a schedule makes a batch: e-mail addresses, a webhook, or both." });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  add(p.head, h("div", { class: "page-actions" }, button("New group", () => edit(null), { kind: "primary", iconName: "plus" })));
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
    fill(listBox, ...list.map((g) => panel(g.name,
      h("p", null, g.emails.length ? g.emails.join(", ") : h("span", { class: "muted", text: "No e-mail addresses" })),
      g.webhook_url ? h("p", { class: "mono small", text: "Webhook: " + g.webhook_url }) : null,
      h("div", { class: "form-actions" }, button("Edit", () => edit(g), { kind: "ghost" }), button("Delete", () => remove(g), { kind: "ghost" })))));
  }

  async function remove(g) {
    if (!(await confirmDialog({ title: `Delete “${g.name}”?`, body: "Schedules that use it must be changed first." }))) return;
    try {
      await api.del("/captive/notification-groups/" + api.seg(g.id));
      toast("Group deleted.");
      load();
    } catch (e) {
      listErr.show(e, `“${g.name}” could not be deleted.`);
    }
  }

  function edit(g) {
    const editing = !!g;
    const name = input({ name: "name", value: g ? g.name : "", required: true, placeholder: "Front office" });
    const emails = h("textarea", { name: "emails", rows: 3, value: g ? g.emails.join("\n") : "", placeholder: "frontdesk@hotel.example", spellcheck: "false" });
    const hook = input({ type: "url", name: "webhook_url", value: g && g.webhook_url ? g.webhook_url : "", placeholder: "https://…", class: "mono", spellcheck: "false" });
    const err = errorBox();
    const save = button(editing ? "Save group" : "Create group", null, { kind: "primary", type: "submit" });
    const form = h("form", { class: "form", novalidate: true }, err.el,
      field("Name", name),
      field("E-mail addresses", emails, { hint: "One per line." }),
      field("Webhook URL", hook, { hint: "Optional. Each batch is POSTed as JSON, signed with the group's secret." }),
      h("div", { class: "form-actions" }, save, button("Cancel", () => editor.replaceChildren(), { kind: "ghost" })));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!checkForm(form, err)) return;
      const body = { name: name.value.trim(), emails: emails.value.split(/[\s,;]+/).filter(Boolean), webhook_url: hook.value.trim() || null };
      await busy(save, "Saving…", async () => {
        try {
          const res = editing ? await api.put("/captive/notification-groups/" + api.seg(g.id), body) : await api.post("/captive/notification-groups", body);
          toast(editing ? "Group saved." : "Group created.");
          if (!editing && res.webhook_secret && body.webhook_url) {
            fill(editor, h("div", { class: "alert alert-warn" },
              h("p", { text: "Copy the webhook secret now; it is shown only once. The receiver checks the X-Gatehouse-Signature header with it." }),
              copyBox("Webhook secret", res.webhook_secret),
              button("Done", () => editor.replaceChildren(), { kind: "ghost", small: true })));
          } else {
            editor.replaceChildren();
          }
          load();
        } catch (e) {
          showFormError(form, err, e);
        }
      });
    });
    fill(editor, panel(editing ? `Edit “${g.name}”` : "New group", form));
    name.focus();
  }
  await load();
}
