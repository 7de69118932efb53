// tokens.js: API tokens for scripts (admin only): list, create (the bearer
// is shown once), revoke. The form is in tokens/form.js.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, table, loading, button, errorBox, confirmDialog, toast, badge } from "../kit.js";
import { dateTime, relative } from "../format.js";
import { tokenForm } from "./tokens/form.js";
import { t } from "../i18n.js";

export async function tokens(ctx) {
  const p = page(t("nav.tokens"), {
    lead: t("token.lead"),
  });
  add(ctx.main, p.el);
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const created = h("div");
  add(p.body, panel(t("token.new"), tokenForm(created, () => load()), created),
    panel(t("token.tokens"), listErr.el, listBox));

  async function load() {
    listErr.clear();
    try {
      const list = await api.get("/captive/tokens");
      fill(listBox, table(columns(Date.now(), revoke), list, { empty: t("token.none"), caption: t("nav.tokens") }));
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, t("token.not_loaded"));
    }
  }

  async function revoke(tok) {
    const ok = await confirmDialog({ title: t("token.revoke_title", { name: tok.name }),
      body: t("token.revoke_body"), confirm: t("row.revoke") });
    if (!ok) return;
    try {
      await api.del("/captive/tokens/" + api.seg(tok.id));
      toast(t("token.revoked"));
      load();
    } catch (e) {
      listErr.show(e);
    }
  }
  await load();
}

/** columns of the token table; a token that still works has a Revoke button. */
function columns(now, revoke) {
  const live = (tok) => !tok.revoked_at && new Date(tok.expires_at) > now;
  const state = (tok) => tok.revoked_at ? badge(t("status.revoked"), "bad")
    : new Date(tok.expires_at) < now ? badge(t("status.expired"), "neutral") : badge(t("token.active"), "good");
  return [
    { label: t("planpage.name"), cell: (tok) => h("strong", { text: tok.name }) },
    { label: t("token.role"), cell: (tok) => t("role." + tok.role) },
    { label: t("table.created"), cell: (tok) => dateTime(tok.created_at) },
    { label: t("token.expires"),
      cell: (tok) => h("span", { title: dateTime(tok.expires_at), text: relative(tok.expires_at, now) }) },
    { label: t("dash.state"), cell: state },
    { label: "", className: "col-actions", cell: (tok) => live(tok)
      ? button(t("row.revoke"), () => revoke(tok), { kind: "ghost", small: true,
        attrs: { "aria-label": t("row.revoke_aria", { code: tok.name }) } })
      : "" },
  ];
}
