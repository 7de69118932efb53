// tokens.js: API tokens for scripts (admin only): list, create (the bearer
// is shown once), revoke.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, loading, button, select, field, input, errorBox, showFormError, busy, confirmDialog, toast, badge, copyBox, checkForm } from "../kit.js";
import { dateTime, relative } from "../format.js";

const LIFETIMES = [["24h", "1 day"], ["168h", "7 days"], ["720h", "30 days"], ["2160h", "90 days"], ["8760h", "1 year"]];
const ROLES = [["admin", "Admin"], ["operator", "Operator"], ["frontdesk", "Front desk"]];
const ROLE_HINTS = { admin: "Can do everything.", operator: "Everything but tokens and router settings.", frontdesk: "Coupons and guests online only." };

export async function tokens(ctx) {
  const p = page("API tokens", { lead: "Bearer tokens for scripts and other programs that use the gatehouse API. People sign in with their own accounts instead." });
  add(ctx.main, p.el);
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const created = h("div");

  const name = input({ name: "name", required: true, placeholder: "backup script", autocomplete: "off" });
  const role = select("role", ROLES, "operator");
  const roleField = field("Role", role, { hint: ROLE_HINTS.operator });
  role.addEventListener("change", () => { roleField.querySelector(".hint").textContent = ROLE_HINTS[role.value]; });
  const ttl = select("ttl", LIFETIMES, "720h");
  const err = errorBox();
  const save = button("Create token", null, { kind: "primary", type: "submit", iconName: "plus" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-3" }, field("Name", name, { hint: "What uses it." }), roleField, field("Expires after", ttl)),
    h("div", { class: "form-actions" }, save));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    if (!name.value.trim()) return showFormError(form, err, { message: "Give the token a name.", param: "name" });
    await busy(save, "Creating…", async () => {
      try {
        const t = await api.post("/captive/tokens", { name: name.value.trim(), role: role.value, ttl: ttl.value });
        name.value = "";
        fill(created, h("div", { class: "alert alert-warn token-once" },
          h("p", null, h("strong", { text: `Token “${t.name}” created. ` }), "Copy it now: it is shown only this once. Store it like a password."),
          copyBox("Bearer token", t.token),
          button("I have copied it", () => created.replaceChildren(), { kind: "ghost", small: true })));
        created.querySelector("input").focus();
        load();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  add(p.body, panel("New token", form, created), panel("Tokens", listErr.el, listBox));

  async function load() {
    listErr.clear();
    try {
      const list = await api.get("/captive/tokens");
      const now = Date.now();
      fill(listBox, table([
        { label: "Name", cell: (t) => h("strong", { text: t.name }) },
        { label: "Role", cell: (t) => t.role },
        { label: "Created", cell: (t) => dateTime(t.created_at) },
        { label: "Expires", cell: (t) => h("span", { title: dateTime(t.expires_at), text: relative(t.expires_at, now) }) },
        { label: "State", cell: (t) => t.revoked_at ? badge("revoked", "bad") : new Date(t.expires_at) < now ? badge("expired", "neutral") : badge("active", "good") },
        { label: "", className: "col-actions", cell: (t) => !t.revoked_at && new Date(t.expires_at) > now ? button("Revoke", () => revoke(t), { kind: "ghost", small: true, attrs: { "aria-label": `Revoke ${t.name}` } }) : "" },
      ], list, { empty: "No tokens yet.", caption: "API tokens" }));
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, "The tokens could not be loaded.");
    }
  }

  async function revoke(t) {
    if (!(await confirmDialog({ title: `Revoke “${t.name}”?`, body: "Anything using this token stops working at once.", confirm: "Revoke" }))) return;
    try {
      await api.del("/captive/tokens/" + api.seg(t.id));
      toast("Token revoked.");
      load();
    } catch (e) {
      listErr.show(e);
    }
  }
  await load();
}
