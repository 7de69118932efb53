// form.js: the new-token form: name, role, lifetime; the new bearer token is
// shown once, to copy.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { button, select, field, input, errorBox, showFormError, busy, copyBox, checkForm } from "../../kit.js";
import { t, tn } from "../../i18n.js";

/** LIFETIMES: a token's lifetime (the API's ttl) and its days (0: a year). */
const LIFETIMES = [["24h", 1], ["168h", 7], ["720h", 30], ["2160h", 90], ["8760h", 0]];
const ROLES = ["admin", "operator", "frontdesk"];
const ROLE_HINTS = { admin: "token.hint_admin", operator: "token.hint_operator", frontdesk: "token.hint_frontdesk" };
const roleHint = (role) => t(ROLE_HINTS[role]);

/** tokenForm is the form; a created token is shown in created, and onCreated reloads the list. */
export function tokenForm(created, onCreated) {
  const name = input({ name: "name", required: true, placeholder: t("token.name_placeholder"), autocomplete: "off" });
  const role = select("role", ROLES.map((r) => [r, t("role." + r)]), "operator");
  const roleField = field(t("token.role"), role, { hint: roleHint("operator") });
  role.addEventListener("change", () => { roleField.querySelector(".hint").textContent = roleHint(role.value); });
  const ttl = select("ttl", LIFETIMES.map(([v, days]) => [v, days ? tn("unit.days", days) : t("token.year")]), "720h");
  const err = errorBox();
  const save = button(t("token.create"), null, { kind: "primary", type: "submit", iconName: "plus" });
  const form = h("form", { class: "form", novalidate: true }, err.el,
    h("div", { class: "grid-3" },
      field(t("planpage.name"), name, { hint: t("token.name_hint") }), roleField, field(t("token.expires_after"), ttl)),
    h("div", { class: "form-actions" }, save));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    if (!name.value.trim()) return showFormError(form, err, { message: t("token.need_name"), param: "name" });
    await busy(save, t("token.creating"), async () => {
      try {
        const tok = await api.post("/captive/tokens", { name: name.value.trim(), role: role.value, ttl: ttl.value });
        name.value = "";
        showToken(created, tok);
        onCreated();
      } catch (e) {
        showFormError(form, err, e);
      }
    });
  });
  return form;
}

/** showToken shows a new token in box, once, until "I have copied it". */
function showToken(box, tok) {
  fill(box, h("div", { class: "alert alert-warn token-once" },
    h("p", null, h("strong", { text: t("token.created", { name: tok.name }) + " " }), t("token.copy_now")),
    copyBox(t("token.bearer"), tok.token),
    button(t("token.copied"), () => box.replaceChildren(), { kind: "ghost", small: true })));
  box.querySelector("input").focus();
}
