// integrations.js: sign-in providers (the API's auth integrations) for
// portals where guests sign in with an account. The form is in
// integrations/form.js.

import * as api from "../api.js";
import { h, add } from "../dom.js";
import { page, panel, loading, button, errorBox, emptyState } from "../kit.js";
import { listLoader, confirmDelete } from "../list_view.js";
import { TYPES, providerEditor } from "./integrations/form.js";

export async function integrations(ctx) {
  const manage = ctx.can("integrations.manage");
  const p = page("Sign-in providers", {
    lead: "The Google, GitHub or Microsoft apps guests sign in with on portals that use accounts instead of codes.",
  });
  add(ctx.main, p.el);
  const editor = h("div");
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  const edit = (a) => providerEditor(editor, a, load);
  if (manage) {
    add(p.head, h("div", { class: "page-actions" },
      button("New provider", () => edit(null), { kind: "primary", iconName: "plus" })));
  }
  add(p.body, editor, listErr.el, listBox);

  const load = listLoader("/captive/auth-integrations", listBox, listErr, {
    failed: "The providers could not be loaded.",
    empty: () => emptyState("No providers yet. You only need one for portals where guests sign in with an account."),
    show: (list) => list.map((a) => providerPanel(a, manage ? { edit, remove } : null)),
  });
  const remove = (a) => confirmDelete("/captive/auth-integrations/" + api.seg(a.id), a.name, {
    body: "Portals that use it must be changed first.", deleted: "Provider deleted.", done: load, err: listErr,
  });
  await load();
}

/** providerPanel is one provider in the list; actions (edit, remove) only for those who may manage. */
function providerPanel(a, actions) {
  const typeName = (TYPES.find((t) => t[0] === a.type) || [0, a.type])[1];
  return panel(a.name,
    h("p", { class: "muted", text: `${typeName} · client ID ` },
      h("span", { class: "mono", text: a.config?.client_id || "—" })),
    h("div", { class: "form-actions" },
      a.test_url ? h("a", { class: "btn btn-secondary", href: api.local(a.test_url), target: "_blank",
        rel: "noopener" }, h("span", { text: "Test sign-in" })) : null,
      actions ? button("Edit", () => actions.edit(a), { kind: "ghost" }) : null,
      actions ? button("Delete", () => actions.remove(a), { kind: "ghost" }) : null));
}
