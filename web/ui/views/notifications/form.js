// form.js: a notification group's form: name, e-mail addresses, webhook URL;
// a new group's webhook secret is shown once after it is created.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, field, input, errorBox, showFormError, busy, toast, copyBox, checkForm } from "../../kit.js";

/** groupEditor shows the form for g (null for a new group) in editor; onSaved reloads the list. */
export function groupEditor(editor, g, onSaved) {
  const editing = !!g;
  const c = controls(g);
  const err = errorBox();
  const save = button(editing ? "Save group" : "Create group", null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    field("Name", c.name),
    field("E-mail addresses", c.emails, { hint: "One per line." }),
    field("Webhook URL", c.hook, { hint: "Optional. Each batch is POSTed as JSON, signed with the group's secret." }),
    h("div", { class: "form-actions" }, save, button("Cancel", () => editor.replaceChildren(), { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = {
      name: c.name.value.trim(),
      emails: c.emails.value.split(/[\s,;]+/).filter(Boolean),
      webhook_url: c.hook.value.trim() || null,
    };
    await busy(save, "Saving…", async () => {
      try {
        const res = editing ? await api.put("/captive/notification-groups/" + api.seg(g.id), body)
          : await api.post("/captive/notification-groups", body);
        toast(editing ? "Group saved." : "Group created.");
        if (!editing && res.webhook_secret && body.webhook_url) showSecret(editor, res.webhook_secret);
        else editor.replaceChildren();
        onSaved();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  fill(editor, panel(editing ? `Edit “${g.name}”` : "New group", form));
  c.name.focus();
}

function controls(g) {
  const name = input({ name: "name", value: g ? g.name : "", required: true, placeholder: "Front office" });
  const emails = h("textarea", { name: "emails", rows: 3, value: g ? g.emails.join("\n") : "",
    placeholder: "frontdesk@hotel.example", spellcheck: "false" });
  const hook = input({ type: "url", name: "webhook_url", value: g && g.webhook_url ? g.webhook_url : "",
    placeholder: "https://…", class: "mono", spellcheck: "false" });
  return { name, emails, hook };
}

/** showSecret puts a new group's webhook secret in editor, once, to copy. */
function showSecret(editor, secret) {
  fill(editor, h("div", { class: "alert alert-warn" },
    h("p", { text: "Copy the webhook secret now; it is shown only once. "
      + "The receiver checks the X-Gatehouse-Signature header with it." }),
    copyBox("Webhook secret", secret),
    button("Done", () => editor.replaceChildren(), { kind: "ghost", small: true })));
}
