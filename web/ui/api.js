// api.js: the one place that talks to the gatehouse admin API. Every call
// carries the bearer token kept in sessionStorage (closing the tab signs
// out); every failure becomes an ApiError with a message a person can read.

import { t } from "./i18n.js";
import { serverText } from "./format.js";

const TOKEN_KEY = "gatehouse.token";

/** ApiError is a failed API call: the HTTP status and the Error JSON. */
export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(wordError(status, body));
    this.name = "ApiError";
    this.status = status;
    this.code = (body && body.code) || "";
    this.param = (body && body.param) || "";
    this.retryAfter = retryAfter || 0;
  }
}

/**
 * wordError is a failed call in words: the refusal in the page's language
 * when the server sent it as a catalogue key (body.text), else its English
 * message, as a sentence, with what the status adds.
 */
function wordError(status, body) {
  let msg = body && typeof body.message === "string" ? body.message.trim() : "";
  if (body && body.text) msg = serverText(body.text, msg).trim();
  if (msg) {
    msg = msg[0].toUpperCase() + msg.slice(1);
    if (!/[.!?]$/.test(msg)) msg += ".";
  }
  switch (status) {
    case 0:
      return t("api.unreachable");
    case 401:
      return msg || t("api.session_ended");
    case 403:
      return msg ? t("api.not_allowed", { message: msg }) : t("api.forbidden");
    case 503:
      return msg ? t("api.unavailable_now", { message: msg }) : t("api.unavailable");
  }
  return msg || t("api.status", { status });
}

let sessionEnded = () => {};

/** onSessionEnd sets what happens when a call answers 401. */
export function onSessionEnd(fn) {
  sessionEnded = fn;
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * request calls the API. opts: body (object → JSON, FormData → multipart),
 * accept (an Accept header), raw (return the Response for blobs), anonymous
 * (send no token and do not treat 401 as a lost session).
 */
export async function request(method, path, opts = {}) {
  const headers = {};
  let body;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  headers.Accept = opts.accept || "application/json";
  const token = getToken();
  if (token && !opts.anonymous) headers.Authorization = "Bearer " + token;
  let res;
  try {
    res = await fetch(path, { method, headers, body, cache: "no-store", credentials: "same-origin" });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    const err = new ApiError(res.status, data, Number(res.headers.get("Retry-After")) || 0);
    if (res.status === 401 && !opts.anonymous) {
      sessionEnded();
    }
    throw err;
  }
  if (opts.raw) return res;
  if (res.status === 204 || res.status === 202) return null;
  const type = res.headers.get("Content-Type") || "";
  if (type.startsWith("application/json")) return res.json();
  return res.text();
}

export const get = (path, opts) => request("GET", path, opts);
export const post = (path, body, opts = {}) => request("POST", path, { ...opts, body });
export const put = (path, body, opts = {}) => request("PUT", path, { ...opts, body });
export const del = (path, opts) => request("DELETE", path, opts);

/** download fetches path with the token and saves it as filename. */
export async function download(path, filename, accept) {
  const res = await request("GET", path, { raw: true, accept: accept || "*/*" });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** id encodes one path segment. */
export const seg = (v) => encodeURIComponent(v);

/**
 * local turns an absolute gatehouse link (its BaseURL may be a name this
 * browser does not use) into a path on this origin, so the page's
 * Content-Security-Policy ('self') lets it load. data: and blob: pass.
 */
export function local(link) {
  if (!link) return "";
  if (/^(data|blob):/.test(link)) return link;
  try {
    const u = new URL(link, location.href);
    return u.pathname + u.search;
  } catch {
    return "";
  }
}
