// guest_data.js: answering a guest's request about their personal data.
// Find everything gatehouse holds about a device (MAC address) or a
// sign-in (e-mail), shown in sections by ./guest_data/record.js, and
// erase it: MAC, IP and e-mail become a keyed hash, counts and times stay.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, button, field, input, errorBox, showFormError, busy, confirmDialog, toast, loading }
  from "../kit.js";
import { guestRecord, recordCount } from "./guest_data/record.js";

/** guestData is #/guest-data. Nothing of the search goes into the address (it would stay in the history). */
export async function guestData(ctx) {
  const p = page("Guest data", {
    lead: "Answer a guest who asks what gatehouse holds about them, or asks for it to be erased.",
  });
  add(ctx.main, p.el);
  const result = h("div", { class: "guest-result" });
  const form = searchForm((query, err, shown) => find(ctx, query, result, err, shown));
  add(p.body, storedPanel(), panel("Find a guest", form), result);
  form.querySelector("input").focus({ preventScroll: true });
}

/** storedPanel says in short what gatehouse stores about guests and for how long (README: Guests' personal data). */
function storedPanel() {
  return panel("What gatehouse stores about guests",
    h("ul", { class: "stored-list" },
      h("li", { text: "Each session: the device's MAC address, its IP address on the hotspot, when it signed in and "
        + "out, and the data it used." }),
      h("li", { text: "The device a code was used on, and the devices a code moved between." }),
      h("li", { text: "For a sign-in with Google, GitHub or Microsoft: the e-mail and the provider's id of the person." }),
      h("li", { text: "Which terms of use a guest accepted, when, on which device (every version of the text is kept)." })),
    h("p", { class: "muted small", text: "MAC and IP addresses and e-mails are kept until 90 days after the session "
      + "ended (the [guests] retention setting), then replaced by a keyed hash: times, counts and repeat visits stay, "
      + "whose they were does not. Unfinished sign-ins go after 7 days. Sales and the audit log hold staff names, "
      + "never guests'." }));
}

/**
 * searchForm is one field, a MAC address or an e-mail, and Find; onFind(query,
 * err, shown) runs with {mac} or {identity}. shown(err) shows an API error
 * beside the field.
 */
function searchForm(onFind) {
  const q = input({ name: "q", required: true, autocomplete: "off", spellcheck: "false",
    placeholder: "AA:BB:CC:00:11:22 or alice@example.com" });
  const err = errorBox();
  const find = button("Find", null, { kind: "primary", type: "submit", iconName: "search" });
  const form = h("form", { class: "form guest-search", novalidate: true }, err.el,
    h("div", { class: "guest-search-row" },
      field("MAC address or e-mail", q, { hint: "A guest finds the phone's MAC address in its Wi-Fi details "
        + "(a private address is per network)." }), find));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = q.value.trim();
    if (!v) return showFormError(form, err, { param: "q", message: "Type the MAC address or the e-mail to look for." });
    err.clear();
    const query = v.includes("@") ? { identity: v } : { mac: v };
    await busy(find, "Finding…", () => onFind(query, err, (e) => showFormError(form, err,
      { message: e.message, param: e.param ? "q" : "" })));
  });
  return form;
}

/** find reads the record of query into result; a bad query is shown beside the field. */
async function find(ctx, query, result, err, shown) {
  fill(result, loading("Finding…"));
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
  const eraseBtn = n ? button("Erase this guest's data", () => erase(ctx, query, who, n, eraseBtn, eraseErr, result),
    { kind: "danger" }) : null;
  fill(result, guestRecord(ctx, rec, who, h("div", { class: "erase-box" }, eraseErr.el, eraseBtn)));
  result.querySelector("h2")?.scrollIntoView({ block: "nearest" });
}

/** erase asks, then erases everything held about query and shows the record again (now anonymized). */
async function erase(ctx, query, who, n, btn, err, result) {
  const ok = await confirmDialog({
    title: "Erase this guest's data?",
    body: `In all ${n} records found for ${who}, the MAC address, the IP addresses and the e-mail are replaced now `
      + "by a keyed hash: nobody can read them back. Times, data used and counts stay, and a later visit of the "
      + "same device still counts as a return. This cannot be undone.",
    confirm: "Erase data",
  });
  if (!ok) return;
  err.clear();
  await busy(btn, "Erasing…", async () => {
    try {
      const r = await api.del("/captive/guests?" + new URLSearchParams(query));
      toast(`Erased: ${r.anonymized} ${r.anonymized === 1 ? "record" : "records"} anonymized.`);
    } catch (e) {
      if (e.status === 401) return;
      err.show(e, e.status === 409 ? "Not erased yet:" : "Not erased:");
      err.el.scrollIntoView({ block: "nearest" });
      return;
    }
    await find(ctx, query, result, errorBox(), () => {});
  });
}
