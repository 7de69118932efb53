// form.js: the new-token form: name, role, lifetime; the new bearer token is
// shown once, to copy.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, select, field, input, errorBox, showFormError, busy, copyBox, checkForm } from "../../kit.js";

const LIFETIMES = [
  ["24h", "1 day"], ["168h", "7 days"], ["720h", "30 days"], ["2160h", "90 days"], ["8760h", "1 year"],
];
const ROLES = [["admin", "Admin"], ["operator", "Operator"], ["frontdesk", "Front desk"]];
const ROLE_HINTS = {
  admin: "Can do everything.",
  operator: "Everything but tokens and router settings.",
  frontdesk: "Coupons and guests online only.",
};

/** tokenForm is the form; a created token is shown in created, and onCreated reloads the list. */
export function tokenForm(created, onCreated) {
  const name = input({ name: "name", required: true, placeholder: "backup script", autocomplete: "off" });
  const role = select("role", ROLES, "operator");
  const roleField = field("Role", role, { hint: ROLE_HINTS.operator });
  role.addEventListener("change", () => { roleField.querySelector(".hint").textContent = ROLE_HINTS[role.value]; });
  const ttl = select("ttl", LIFETIMES, "720h");
  const err = errorBox();
  const save = button("Create token", null, { kind: "primary", type: "submit", iconName: "plus" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-3" },
      field("Name", name, { hint: "What uses it." }), roleField, field("Expires after", ttl)),
    h("div", { class: "form-actions" }, save));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    if (!name.value.trim()) return showFormError(form, err, { message: "Give the token a name.", param: "name" });
    await busy(save, "Creating…", async () => {
      try {
        const t = await api.post("/captive/tokens", { name: name.value.trim(), role: role.value, ttl: ttl.value });
        name.value = "";
        showToken(created, t);
        onCreated();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  return form;
}

/** showToken shows a new token in box, once, until "I have copied it". */
function showToken(box, t) {
  fill(box, h("div", { class: "alert alert-warn token-once" },
    h("p", null, h("strong", { text: `Token “${t.name}” created. ` }),
      "Copy it now: it is shown only this once. Store it like a password."),
    copyBox("Bearer token", t.token),
    button("I have copied it", () => box.replaceChildren(), { kind: "ghost", small: true })));
  box.querySelector("input").focus();
}
