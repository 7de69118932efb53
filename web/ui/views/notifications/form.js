// form.js: a notification group's form: name, e-mail addresses, webhook URL;
// a new group's webhook secret is shown once after it is created.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, field, input, errorBox, showFormError, busy, toast, copyBox, checkForm } from "../../kit.js";
import { t } from "../../i18n.js";

/** groupEditor shows the form for g (null for a new group) in editor; onSaved reloads the list. */
export function groupEditor(editor, g, onSaved) {
  const editing = !!g;
  const c = controls(g);
  const err = errorBox();
  const save = button(editing ? t("notif.save") : t("notif.create"), null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    field(t("planpage.name"), c.name),
    field(t("notif.emails"), c.emails, { hint: t("notif.emails_hint") }),
    field(t("notif.hook"), c.hook, { hint: t("notif.hook_hint") }),
    h("div", { class: "form-actions" }, save, button(t("kit.cancel"), () => editor.replaceChildren(), { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = {
      name: c.name.value.trim(),
      emails: c.emails.value.split(/[\s,;]+/).filter(Boolean),
      webhook_url: c.hook.value.trim() || null,
    };
    await busy(save, t("planform.saving"), async () => {
      try {
        const res = editing ? await api.put("/captive/notification-groups/" + api.seg(g.id), body)
          : await api.post("/captive/notification-groups", body);
        toast(editing ? t("notif.saved") : t("notif.created"));
        if (!editing && res.webhook_secret && body.webhook_url) showSecret(editor, res.webhook_secret);
        else editor.replaceChildren();
        onSaved();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  fill(editor, panel(editing ? t("planform.edit_title", { name: g.name }) : t("notif.new"), form));
  c.name.focus();
}

function controls(g) {
  const name = input({ name: "name", value: g ? g.name : "", required: true, placeholder: t("notif.name_placeholder") });
  const emails = h("textarea", { name: "emails", rows: 3, value: g ? g.emails.join("\n") : "",
    placeholder: "frontdesk@hotel.example", spellcheck: "false" });
  const hook = input({ type: "url", name: "webhook_url", value: g && g.webhook_url ? g.webhook_url : "",
    placeholder: "https://…", class: "mono", spellcheck: "false" });
  return { name, emails, hook };
}

/** showSecret puts a new group's webhook secret in editor, once, to copy. */
function showSecret(editor, secret) {
  fill(editor, h("div", { class: "alert alert-warn" },
    h("p", { text: t("notif.secret_once") }),
    copyBox(t("notif.secret"), secret),
    button(t("shift.done"), () => editor.replaceChildren(), { kind: "ghost", small: true })));
}
