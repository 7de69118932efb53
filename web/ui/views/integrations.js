// integrations.js: sign-in providers (the API's auth integrations) for
// portals where guests sign in with an account. The form is in
// integrations/form.js.

import * as api from "../api.js";
import { h, add } from "../dom.js";
import { page, panel, loading, button, errorBox, emptyState } from "../kit.js";
import { listLoader, confirmDelete } from "../list_view.js";
import { TYPES, providerEditor } from "./integrations/form.js";
import { t } from "../i18n.js";

export async function integrations(ctx) {
  const manage = ctx.can("integrations.manage");
  const p = page(t("nav.integrations"), {
    lead: t("provider.lead"),
  });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const edit = (a) => providerEditor(editor, a, load);
  if (manage) {
    add(p.head, h("div", { class: "page-actions" },
      button(t("provider.new"), () => edit(null), { kind: "primary", iconName: "plus" })));
  }
  add(p.body, editor, listErr.el, listBox);

  const load = listLoader("/captive/auth-integrations", listBox, listErr, {
    failed: t("provider.not_loaded"),
    empty: () => emptyState(t("provider.none")),
    show: (list) => list.map((a) => providerPanel(a, manage ? { edit, remove } : null)),
  });
  const remove = (a) => confirmDelete("/captive/auth-integrations/" + api.seg(a.id), a.name, {
    body: t("provider.delete_body"), deleted: t("provider.deleted"), done: load, err: listErr,
  });
  await load();
}

/** providerPanel is one provider in the list; actions (edit, remove) only for those who may manage. */
function providerPanel(a, actions) {
  const typeName = (TYPES.find((x) => x[0] === a.type) || [0, a.type])[1];
  return panel(a.name,
    h("p", { class: "muted", text: t("provider.client_id_of", { type: typeName }) + " " },
      h("span", { class: "mono", text: a.config?.client_id || "—" })),
    h("div", { class: "form-actions" },
      a.test_url ? h("a", { class: "btn btn-secondary", href: api.local(a.test_url), target: "_blank",
        rel: "noopener" }, h("span", { text: t("provider.test") })) : null,
      actions ? button(t("planpage.edit"), () => actions.edit(a), { kind: "ghost" }) : null,
      actions ? button(t("kit.delete"), () => actions.remove(a), { kind: "ghost" }) : null));
}
