// i18n.js: the admin page's language. The words live in one catalogue per
// language (i18n/en.js, es.js, fr.js, de.js, pt.js: key → text, with
// placeholders like {count}); t(key, params) words a key in the language
// chosen. The choice: the signed-in account's (GET /auth/me's lang), else
// the one kept in this browser (localStorage), else the browser's own
// languages, else English. Dates, numbers and money follow it (locale()).

import en from "./i18n/en.js";
import es from "./i18n/es.js";
import fr from "./i18n/fr.js";
import de from "./i18n/de.js";
import pt from "./i18n/pt.js";

const CATALOGUES = { en, es, fr, de, pt };
const LANG_KEY = "gatehouse.lang";

/** LANGUAGES: the page's languages as [code, the language's own name]. */
export const LANGUAGES = [["en", "English"], ["es", "Español"], ["fr", "Français"], ["de", "Deutsch"],
  ["pt", "Português"]];

let current = "en";

/** lang is the language chosen ("en", "de", …). */
export const lang = () => current;

/**
 * REGION_OF are the tags of catalogues written for one country where Intl's
 * default for the bare language is another's: the Portuguese words are
 * Portugal's (ficheiro, registo), and Intl's "pt" is Brazil's (dates, and
 * plurals: "0 anulação" there, "0 anulações" in Portugal).
 */
const REGION_OF = { pt: "pt-PT" };

/** intlTag is the tag Intl formats language code's words with ("pt" → "pt-PT"). */
export const intlTag = (code) => REGION_OF[code] || code;

/**
 * locale is the tag Intl formats with: the browser's own tag when it is of
 * the language chosen ("de-AT", "en-GB", "pt-BR"), else the catalogue's
 * ("pt-PT", "de").
 */
export function locale() {
  const own = browserTags().find((tag) => tag.toLowerCase().split("-")[0] === current);
  return own || intlTag(current);
}

function browserTags() {
  try {
    return [...(navigator.languages || []), navigator.language].filter(Boolean);
  } catch {
    return [];
  }
}

/** browserLanguage is the first of the browser's languages the page speaks, else "en". */
export function browserLanguage() {
  for (const tag of browserTags()) {
    const code = tag.toLowerCase().split("-")[0];
    if (CATALOGUES[code]) return code;
  }
  return "en";
}

/** storedLanguage is the language last chosen in this browser, or "". */
export function storedLanguage() {
  try {
    const code = localStorage.getItem(LANG_KEY) || "";
    return CATALOGUES[code] ? code : "";
  } catch {
    return "";
  }
}

/** storeLanguage keeps code as this browser's choice ("" forgets it). */
export function storeLanguage(code) {
  try {
    if (code) localStorage.setItem(LANG_KEY, code);
    else localStorage.removeItem(LANG_KEY);
  } catch {
    /* a browser that keeps nothing follows its own languages */
  }
}

/** setLanguage makes code (one of LANGUAGES, else English) the page's language and <html lang>. */
export function setLanguage(code) {
  current = CATALOGUES[code] ? code : "en";
  document.documentElement.lang = current;
  return current;
}

/** fill puts params into text's {placeholders}; an unknown one stays as it is. */
function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined ? m : String(params[name])));
}

/** t words key in the language chosen (English when that catalogue lacks it, the key when none has it). */
export function t(key, params) {
  return tIn(current, key, params);
}

/** tIn words key in language code (e.g. a coupon card in its portal's language), English when unknown. */
export function tIn(code, key, params) {
  const cat = CATALOGUES[(code || "").toLowerCase().split("-")[0]] || en;
  const text = cat[key] ?? en[key] ?? key;
  return fill(text, params);
}

/**
 * tn words a count: key + ".one" or key + ".other" by the language's plural
 * rules, with {count} the number in the page's locale.
 */
export function tn(key, count, params) {
  return tnIn(current, key, count, params);
}

/** tnIn is tn in language code. */
export function tnIn(code, key, count, params) {
  const loc = code === current ? locale() : intlTag(code || "en");
  let form = "other";
  try {
    form = new Intl.PluralRules(loc).select(count) === "one" ? "one" : "other";
  } catch {
    form = count === 1 ? "one" : "other";
  }
  let n = String(count);
  try {
    n = new Intl.NumberFormat(loc).format(count);
  } catch {
    /* the digits as they are */
  }
  return tIn(code, `${key}.${form}`, { ...params, count: n });
}
