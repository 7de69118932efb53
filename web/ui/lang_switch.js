// lang_switch.js: choosing the admin page's language: the switch in the
// header (and on the sign-in page), what a signed-in account chose (GET
// /auth/me's lang), and keeping a choice: PUT /auth/me for an account, this
// browser's localStorage always (an API token has no account to keep it).

import * as api from "./api.js";
import { h } from "./dom.js";
import { t, lang, LANGUAGES, setLanguage, storedLanguage, storeLanguage, browserLanguage } from "./i18n.js";

/** startLanguage is the language before anyone signs in: the one chosen last here, else the browser's. */
export const startLanguage = () => setLanguage(storedLanguage() || browserLanguage());

/**
 * accountLanguage sets the language for the caller me (GET /auth/me): the
 * account's choice, else ("" when it never chose) the browser's; for an API
 * token, the one chosen last here. It says whether the language changed.
 */
export function accountLanguage(me) {
  const before = lang();
  const wanted = me.kind === "session" ? me.lang || browserLanguage() : storedLanguage() || browserLanguage();
  return setLanguage(wanted) !== before;
}

/**
 * saveLanguage makes code the page's language and keeps it: in this
 * browser, and for the signed-in account me (when there is one). It
 * resolves to the caller as the server now has it (me unchanged for a token).
 */
export async function saveLanguage(me, code) {
  setLanguage(code);
  storeLanguage(code);
  if (!me || me.kind !== "session") return me;
  try {
    return await api.put("/auth/me", { lang: code });
  } catch (e) {
    if (e.status === 400) return me; // no account to keep it: this browser keeps it
    throw e;
  }
}

/** languageSelect is the switch: each language in its own name; onPick(code) runs on a choice. */
export function languageSelect(onPick) {
  const sel = h("select", { class: "lang-switch", name: "lang", "aria-label": t("shell.language"),
    title: t("shell.language") },
  LANGUAGES.map(([code, name]) => h("option", { value: code, lang: code, selected: code === lang(), text: name })));
  sel.addEventListener("change", () => onPick(sel.value));
  return sel;
}
