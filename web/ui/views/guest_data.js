// guest_data.js: answering a guest's request about their personal data.
// Find everything gatehouse holds about a device (MAC address) or a
// sign-in (e-mail), shown in sections by ./guest_data/record.js, and
// erase it: MAC, IP and e-mail become a keyed hash, counts and times stay.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, button, field, input, errorBox, showFormError, busy, confirmDialog, toast, loading }
  from "../kit.js";
import { guestRecord, recordCount } from "./guest_data/record.js";
import { t, tn } from "../i18n.js";

/** guestData is #/guest-data. Nothing of the search goes into the address (it would stay in the history). */
export async function guestData(ctx) {
  const p = page(t("nav.guest_data"), {
    lead: t("gdata.lead"),
  });
  add(ctx.main, p.el);
  const result = h("div", { class: "guest-result" });
  const form = searchForm((query, err, shown) => find(ctx, query, result, err, shown));
  add(p.body, storedPanel(), panel(t("gdata.find_title"), form), result);
  form.querySelector("input").focus({ preventScroll: true });
}

/** storedPanel says in short what gatehouse stores about guests and for how long (README: Guests' personal data). */
function storedPanel() {
  return panel(t("gdata.stored_title"),
    h("ul", { class: "stored-list" },
      [t("gdata.stored_session"), t("gdata.stored_device"), t("gdata.stored_oauth"), t("gdata.stored_terms")]
        .map((text) => h("li", { text }))),
    h("p", { class: "muted small", text: t("gdata.stored_keep") }));
}

/**
 * searchForm is one field, a MAC address or an e-mail, and Find; onFind(query,
 * err, shown) runs with {mac} or {identity}. shown(err) shows an API error
 * beside the field.
 */
function searchForm(onFind) {
  const q = input({ name: "q", required: true, autocomplete: "off", spellcheck: "false",
    placeholder: t("gdata.placeholder") });
  const err = errorBox();
  const find = button(t("gdata.find"), null, { kind: "primary", type: "submit", iconName: "search" });
  const form = h("form", { class: "form guest-search", novalidate: true }, err.el,
    h("div", { class: "guest-search-row" },
      field(t("gdata.field"), q, { hint: t("gdata.field_hint") }), find));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = q.value.trim();
    if (!v) return showFormError(form, err, { param: "q", message: t("gdata.need_q") });
    err.clear();
    const query = v.includes("@") ? { identity: v } : { mac: v };
    await busy(find, t("gdata.finding"), () => onFind(query, err, (e) => showFormError(form, err,
      { message: e.message, param: e.param ? "q" : "" })));
  });
  return form;
}

/** find reads the record of query into result; a bad query is shown beside the field. */
async function find(ctx, query, result, err, shown) {
  fill(result, loading(t("gdata.finding")));
  let rec;
  try {
    rec = await api.get("/captive/guests?" + new URLSearchParams(query));
  } catch (e) {
    result.replaceChildren();
    if (e.status !== 401) shown(e);
    return;
  }
  const who = rec.mac || rec.identity || query.mac || query.identity;
  const eraseErr = errorBox();
  const n = recordCount(rec);
  const eraseBtn = n ? button(t("gdata.erase"), () => erase(ctx, query, who, n, eraseBtn, eraseErr, result),
    { kind: "danger" }) : null;
  fill(result, guestRecord(ctx, rec, who, h("div", { class: "erase-box" }, eraseErr.el, eraseBtn)));
  result.querySelector("h2")?.scrollIntoView({ block: "nearest" });
}

/** erase asks, then erases everything held about query and shows the record again (now anonymized). */
async function erase(ctx, query, who, n, btn, err, result) {
  const ok = await confirmDialog({
    title: t("gdata.erase_title"),
    body: tn("gdata.erase_body", n, { who }),
    confirm: t("gdata.erase_confirm"),
  });
  if (!ok) return;
  err.clear();
  await busy(btn, t("gdata.erasing"), async () => {
    try {
      const r = await api.del("/captive/guests?" + new URLSearchParams(query));
      toast(tn("gdata.erased", r.anonymized));
    } catch (e) {
      if (e.status === 401) return;
      err.show(e, e.status === 409 ? t("gdata.not_yet_erased") : t("gdata.not_erased"));
      err.el.scrollIntoView({ block: "nearest" });
      return;
    }
    await find(ctx, query, result, errorBox(), () => {});
  });
}
