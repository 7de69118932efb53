// tokens.js: API tokens for scripts (admin only): list, create (the bearer
// is shown once), revoke. The form is in tokens/form.js.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, loading, button, errorBox, confirmDialog, toast, badge } from "../kit.js";
import { dateTime, relative } from "../format.js";
import { tokenForm } from "./tokens/form.js";

export async function tokens(ctx) {
  const p = page("API tokens", {
    lead: "Bearer tokens for scripts and other programs that use the gatehouse API. "
      + "People sign in with their own accounts instead.",
  });
  add(ctx.main, p.el);
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const created = h("div");
  add(p.body, panel("New token", tokenForm(created, () => load()), created), panel("Tokens", listErr.el, listBox));

  async function load() {
    listErr.clear();
    try {
      const list = await api.get("/captive/tokens");
      fill(listBox, table(columns(Date.now(), revoke), list, { empty: "No tokens yet.", caption: "API tokens" }));
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, "The tokens could not be loaded.");
    }
  }

  async function revoke(t) {
    const ok = await confirmDialog({ title: `Revoke “${t.name}”?`,
      body: "Anything using this token stops working at once.", confirm: "Revoke" });
    if (!ok) return;
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

/** columns of the token table; a token that still works has a Revoke button. */
function columns(now, revoke) {
  const live = (t) => !t.revoked_at && new Date(t.expires_at) > now;
  const state = (t) => t.revoked_at ? badge("revoked", "bad")
    : new Date(t.expires_at) < now ? badge("expired", "neutral") : badge("active", "good");
  return [
    { label: "Name", cell: (t) => h("strong", { text: t.name }) },
    { label: "Role", cell: (t) => t.role },
    { label: "Created", cell: (t) => dateTime(t.created_at) },
    { label: "Expires", cell: (t) => h("span", { title: dateTime(t.expires_at), text: relative(t.expires_at, now) }) },
    { label: "State", cell: state },
    { label: "", className: "col-actions", cell: (t) => live(t)
      ? button("Revoke", () => revoke(t), { kind: "ghost", small: true, attrs: { "aria-label": `Revoke ${t.name}` } })
      : "" },
  ];
}
