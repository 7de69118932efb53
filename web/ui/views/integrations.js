// integrations.js: sign-in providers (the API's auth integrations) for
// portals where guests sign in with an account.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, loading, button, select, field, input, errorBox, showFormError, busy, confirmDialog, toast, emptyState, checkForm } from "../kit.js";

const TYPES = [["google", "Google"], ["github", "GitHub"], ["azure", "Microsoft (Azure AD / Entra ID)"]];

export async function integrations(ctx) {
  const manage = ctx.can("integrations.manage");
  const p = page("Sign-in providers", { lead: "The Google, GitHub or Microsoft apps guests sign in with on portals that use accounts instead of codes." });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  if (manage) add(p.head, h("div", { class: "page-actions" }, button("New provider", () => edit(null), { kind: "primary", iconName: "plus" })));
  add(p.body, editor, listErr.el, listBox);

  async function load() {
    listErr.clear();
    let list;
    try {
      list = await api.get("/captive/auth-integrations");
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, "The providers could not be loaded.");
      return;
    }
    if (!list.length) {
      fill(listBox, emptyState("No providers yet. You only need one for portals where guests sign in with an account."));
      return;
    }
    fill(listBox, ...list.map((a) => panel(a.name,
      h("p", { class: "muted", text: `${(TYPES.find((t) => t[0] === a.type) || [0, a.type])[1]} · client ID ` }, h("span", { class: "mono", text: a.config?.client_id || "—" })),
      h("div", { class: "form-actions" },
        a.test_url ? h("a", { class: "btn btn-secondary", href: api.local(a.test_url), target: "_blank", rel: "noopener" }, h("span", { text: "Test sign-in" })) : null,
        manage ? button("Edit", () => edit(a), { kind: "ghost" }) : null,
        manage ? button("Delete", () => remove(a), { kind: "ghost" }) : null))));
  }

  async function remove(a) {
    if (!(await confirmDialog({ title: `Delete “${a.name}”?`, body: "Portals that use it must be changed first." }))) return;
    try {
      await api.del("/captive/auth-integrations/" + api.seg(a.id));
      toast("Provider deleted.");
      load();
    } catch (e) {
      listErr.show(e, `“${a.name}” could not be deleted.`);
    }
  }

  function edit(a) {
    const editing = !!a;
    const name = input({ name: "name", value: a ? a.name : "", required: true, placeholder: "Google (hotel account)" });
    const type = select("type", TYPES, a ? a.type : "google");
    const cid = input({ name: "client_id", value: a?.config?.client_id || "", class: "mono", spellcheck: "false", autocomplete: "off" });
    const secret = input({ type: "password", name: "client_secret", autocomplete: "new-password", placeholder: editing ? "Leave blank to keep the current secret" : "" });
    const tenant = input({ name: "tenant", value: a?.config?.tenant || "", class: "mono", spellcheck: "false", placeholder: "organizations" });
    const tenantField = field("Tenant", tenant, { hint: "Your directory ID, or organizations / common." });
    const sync = () => { tenantField.hidden = type.value !== "azure"; };
    type.addEventListener("change", sync);
    sync();
    const err = errorBox();
    const save = button(editing ? "Save provider" : "Create provider", null, { kind: "primary", type: "submit" });
    const form = h("form", { class: "form", novalidate: true }, err.el,
      h("div", { class: "grid-2" }, field("Name", name), field("Provider", type), field("Client ID", cid), field("Client secret", secret, { hint: "Stored encrypted; never shown again." }), tenantField),
      h("div", { class: "form-actions" }, save, button("Cancel", () => editor.replaceChildren(), { kind: "ghost" })));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!checkForm(form, err)) return;
      const config = { client_id: cid.value.trim() };
      if (secret.value) config.client_secret = secret.value;
      if (type.value === "azure") config.tenant = tenant.value.trim();
      const body = { name: name.value.trim(), type: type.value, config };
      await busy(save, "Saving…", async () => {
        try {
          if (editing) await api.put("/captive/auth-integrations/" + api.seg(a.id), body);
          else await api.post("/captive/auth-integrations", body);
          toast(editing ? "Provider saved." : "Provider created.");
          editor.replaceChildren();
          load();
        } catch (e) {
          if (e.param && e.param.startsWith("config.")) e.param = e.param.slice(7);
          showFormError(form, err, e);
        }
      });
    });
    fill(editor, panel(editing ? `Edit “${a.name}”` : "New provider", form));
    name.focus();
  }
  await load();
}
