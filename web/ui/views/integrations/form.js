// form.js: a sign-in provider's form: name, provider type, client ID and
// secret, and the tenant for Microsoft.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, select, field, input, errorBox, showFormError, busy, toast, checkForm } from "../../kit.js";

export const TYPES = [["google", "Google"], ["github", "GitHub"], ["azure", "Microsoft (Azure AD / Entra ID)"]];

/** providerEditor shows the form for a (null for a new provider) in editor; onSaved reloads the list. */
export function providerEditor(editor, a, onSaved) {
  const editing = !!a;
  const c = controls(a);
  const err = errorBox();
  const save = button(editing ? "Save provider" : "Create provider", null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" }, field("Name", c.name), field("Provider", c.type), field("Client ID", c.cid),
      field("Client secret", c.secret, { hint: "Stored encrypted; never shown again." }), c.tenantField),
    h("div", { class: "form-actions" }, save, button("Cancel", () => editor.replaceChildren(), { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = formBody(c);
    await busy(save, "Saving…", async () => {
      try {
        if (editing) await api.put("/captive/auth-integrations/" + api.seg(a.id), body);
        else await api.post("/captive/auth-integrations", body);
        toast(editing ? "Provider saved." : "Provider created.");
        editor.replaceChildren();
        onSaved();
      } catch (e) {
        if (e.param && e.param.startsWith("config.")) e.param = e.param.slice(7);
        showFormError(form, err, e);
      }
    });
  });
  fill(editor, panel(editing ? `Edit “${a.name}”` : "New provider", form));
  c.name.focus();
}

/** controls are the form's inputs; the tenant field shows only for Microsoft. */
function controls(a) {
  const name = input({ name: "name", value: a ? a.name : "", required: true, placeholder: "Google (hotel account)" });
  const type = select("type", TYPES, a ? a.type : "google");
  const cid = input({ name: "client_id", value: a?.config?.client_id || "", class: "mono", spellcheck: "false",
    autocomplete: "off" });
  const secret = input({ type: "password", name: "client_secret", autocomplete: "new-password",
    placeholder: a ? "Leave blank to keep the current secret" : "" });
  const tenant = input({ name: "tenant", value: a?.config?.tenant || "", class: "mono", spellcheck: "false",
    placeholder: "organizations" });
  const tenantField = field("Tenant", tenant, { hint: "Your directory ID, or organizations / common." });
  const sync = () => { tenantField.hidden = type.value !== "azure"; };
  type.addEventListener("change", sync);
  sync();
  return { name, type, cid, secret, tenant, tenantField };
}

/** formBody is the API's request body; a blank secret keeps the stored one. */
function formBody(c) {
  const config = { client_id: c.cid.value.trim() };
  if (c.secret.value) config.client_secret = c.secret.value;
  if (c.type.value === "azure") config.tenant = c.tenant.value.trim();
  return { name: c.name.value.trim(), type: c.type.value, config };
}
