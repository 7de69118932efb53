// form.js: a sign-in provider's form: name, provider type, client ID and
// secret, and the tenant for Microsoft.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, select, field, input, errorBox, showFormError, busy, toast, checkForm } from "../../kit.js";
import { t } from "../../i18n.js";

export const TYPES = [["google", "Google"], ["github", "GitHub"], ["azure", "Microsoft (Azure AD / Entra ID)"]];

/** providerEditor shows the form for a (null for a new provider) in editor; onSaved reloads the list. */
export function providerEditor(editor, a, onSaved) {
  const editing = !!a;
  const c = controls(a);
  const err = errorBox();
  const save = button(editing ? t("provider.save") : t("provider.create"), null, { kind: "primary", type: "submit" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-2" }, field(t("planpage.name"), c.name), field(t("gdata.provider"), c.type),
      field(t("provider.client_id"), c.cid),
      field(t("provider.secret"), c.secret, { hint: t("provider.secret_hint") }), c.tenantField),
    h("div", { class: "form-actions" }, save, button(t("kit.cancel"), () => editor.replaceChildren(), { kind: "ghost" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const body = formBody(c);
    await busy(save, t("planform.saving"), async () => {
      try {
        if (editing) await api.put("/captive/auth-integrations/" + api.seg(a.id), body);
        else await api.post("/captive/auth-integrations", body);
        toast(editing ? t("provider.saved") : t("provider.created"));
        editor.replaceChildren();
        onSaved();
      } catch (e) {
        if (e.param && e.param.startsWith("config.")) e.param = e.param.slice(7);
        showFormError(form, err, e);
      }
    });
  });
  fill(editor, panel(editing ? t("planform.edit_title", { name: a.name }) : t("provider.new"), form));
  c.name.focus();
}

/** controls are the form's inputs; the tenant field shows only for Microsoft. */
function controls(a) {
  const name = input({ name: "name", value: a ? a.name : "", required: true, placeholder: t("provider.name_placeholder") });
  const type = select("type", TYPES, a ? a.type : "google");
  const cid = input({ name: "client_id", value: a?.config?.client_id || "", class: "mono", spellcheck: "false",
    autocomplete: "off" });
  const secret = input({ type: "password", name: "client_secret", autocomplete: "new-password",
    placeholder: a ? t("provider.keep_secret") : "" });
  const tenant = input({ name: "tenant", value: a?.config?.tenant || "", class: "mono", spellcheck: "false",
    placeholder: "organizations" });
  const tenantField = field(t("provider.tenant"), tenant, { hint: t("provider.tenant_hint") });
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
