// signin.js: the sign-in page (user name and password → a session token).

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { field, input, button, errorBox, busy } from "../kit.js";
import { t, tn } from "../i18n.js";
import { saveLanguage, languageSelect } from "../lang_switch.js";

/**
 * signIn fills root with the sign-in form; done(token) runs on success,
 * language() after a language was picked (to draw the form anew in it).
 */
export function signIn(root, { notice, done, language }) {
  const user = input({ name: "username", autocomplete: "username", required: true, autocapitalize: "none",
    spellcheck: "false", maxlength: 64 });
  const pass = input({ type: "password", name: "password", autocomplete: "current-password", required: true });
  const err = errorBox();
  const submit = button(t("signin.submit"), null, { kind: "primary", type: "submit" });
  submit.classList.add("btn-block");
  const form = h("form", { class: "signin-form", novalidate: true },
    notice ? h("div", { class: "alert alert-info", role: "status", text: notice }) : null,
    err.el,
    field(t("signin.username"), user),
    field(t("signin.password"), pass),
    submit);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.clear();
    if (!user.value.trim() || !pass.value) {
      err.show({ message: t("signin.enter_both") });
      (user.value.trim() ? pass : user).focus();
      return;
    }
    await busy(submit, t("signin.busy"), async () => {
      try {
        const res = await api.post("/auth/login", { username: user.value.trim(), password: pass.value },
          { anonymous: true });
        await done(res.token);
      } catch (e) {
        if (e.status === 401) err.show({ message: t("signin.wrong") });
        else if (e.status === 429) err.show({ message: e.retryAfter ? tooMany(e.retryAfter) : e.message });
        else err.show(e);
        pass.value = "";
        pass.focus();
      }
    });
  });
  fill(root, h("main", { class: "signin", id: "main" },
    h("div", { class: "signin-card" },
      h("div", { class: "signin-brand" },
        h("img", { src: "/ui/logo.svg", alt: "", width: 40, height: 40 }), h("span", { text: "gatehouse" })),
      h("h1", { text: t("signin.title") }),
      h("p", { class: "lead", text: t("signin.lead") }),
      form,
      h("div", { class: "signin-lang" }, languageSelect((code) => {
        saveLanguage(null, code);
        if (language) language();
      })))));
  user.focus();
}

function waitWords(seconds) {
  if (seconds < 90) return tn("unit.seconds", seconds);
  return tn("unit.minutes", Math.ceil(seconds / 60));
}

const tooMany = (seconds) => t("signin.too_many", { wait: waitWords(seconds) });
