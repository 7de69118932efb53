// signin.js: the sign-in page (user name and password → a session token).

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { field, input, button, errorBox, busy } from "../kit.js";

/** signIn fills root with the sign-in form; done(token) runs on success. */
export function signIn(root, { notice, done }) {
  const user = input({ name: "username", autocomplete: "username", required: true, autocapitalize: "none",
    spellcheck: "false", maxlength: 64 });
  const pass = input({ type: "password", name: "password", autocomplete: "current-password", required: true });
  const err = errorBox();
  const submit = button("Sign in", null, { kind: "primary", type: "submit" });
  submit.classList.add("btn-block");
  const form = h("form", { class: "signin-form", novalidate: true },
    notice ? h("div", { class: "alert alert-info", role: "status", text: notice }) : null,
    err.el,
    field("User name", user),
    field("Password", pass),
    submit);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.clear();
    if (!user.value.trim() || !pass.value) {
      err.show({ message: "Enter your user name and password." });
      (user.value.trim() ? pass : user).focus();
      return;
    }
    await busy(submit, "Signing in…", async () => {
      try {
        const res = await api.post("/auth/login", { username: user.value.trim(), password: pass.value },
          { anonymous: true });
        await done(res.token);
      } catch (e) {
        if (e.status === 401) err.show({ message: "The user name or password is not right." });
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
      h("h1", { text: "Sign in" }),
      h("p", { class: "lead", text: "Guest Wi-Fi for your venue: coupons, portals and routers." }),
      form)));
  user.focus();
}

function waitWords(seconds) {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

const tooMany = (seconds) => `Too many failed sign-ins. Try again in ${waitWords(seconds)}.`;
