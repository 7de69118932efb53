// walled_garden.js: a site's walled garden: addresses and host names guests
// reach before they sign in. Only a site's page shows it.

import * as api from "../../api.js";
import { h, fill, add } from "../../dom.js";
import { table, loading, button, field, input, errorBox, showFormError, busy, confirmDialog, toast, checkForm }
  from "../../kit.js";
import { t } from "../../i18n.js";

/** walledGarden draws siteId's entries into box, with an add form and Delete buttons for those who may manage. */
export async function walledGarden(ctx, siteId, box) {
  const listBox = h("div", null, loading());
  const listErr = errorBox();
  fill(box, listErr.el, listBox);
  const manage = ctx.can("walled_garden.manage");

  async function load() {
    try {
      const list = await api.get("/captive/walled-garden/" + api.seg(siteId));
      fill(listBox, table([
        { label: t("planpage.name"), cell: (e) => e.name },
        { label: t("wg.address_or_host"), cell: (e) => h("span", { class: "mono", text: e.host || e.ip_address }) },
        { label: "", className: "col-actions", cell: (e) => manage
          ? button(t("kit.delete"), () => remove(e),
            { kind: "ghost", small: true, attrs: { "aria-label": t("planpage.delete_aria", { name: e.name }) } })
          : "" },
      ], list, { empty: t("wg.empty") }));
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e);
    }
  }

  async function remove(e) {
    const ok = await confirmDialog({ title: t("list.delete_title", { name: e.name }),
      body: t("wg.delete_body"), confirm: t("kit.delete") });
    if (!ok) return;
    listErr.clear();
    try {
      await api.del(`/captive/walled-garden/${api.seg(siteId)}/${api.seg(e.id)}`);
      toast(t("wg.deleted"));
      load();
    } catch (err) {
      listErr.show(err);
    }
  }

  if (manage) add(box, entryForm(siteId, load));
  await load();
}

/** entryForm adds an entry: an address or subnet, or a host name; onAdded reloads the list. */
function entryForm(siteId, onAdded) {
  const name = input({ name: "name", required: true, placeholder: t("wg.name_placeholder") });
  const addr = input({ name: "ip_address", class: "mono", spellcheck: "false",
    placeholder: t("wg.addr_placeholder") });
  const err = errorBox();
  const addBtn = button(t("wg.add"), null, { type: "submit", iconName: "plus" });
  const form = h("form", { class: "form inline-form", novalidate: true },
    err.el,
    h("div", { class: "grid-2" },
      field(t("planpage.name"), name),
      field(t("wg.addr"), addr, { hint: t("wg.addr_hint") })),
    h("div", { class: "form-actions" }, addBtn));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(form, err)) return;
    const v = addr.value.trim();
    if (!name.value.trim() || !v) {
      showFormError(form, err, { message: t("wg.need_both"),
        param: name.value.trim() ? "ip_address" : "name" });
      return;
    }
    const isHost = /[a-z*]/i.test(v) && !v.includes(":") && !/^[\d./]+$/.test(v);
    const body = isHost ? { name: name.value.trim(), host: v } : { name: name.value.trim(), ip_address: v };
    await busy(addBtn, t("siteform.adding"), async () => {
      try {
        await api.post("/captive/walled-garden/" + api.seg(siteId), body);
        name.value = "";
        addr.value = "";
        toast(t("wg.added"));
        onAdded();
      } catch (e) {
        if (e.param === "host") e.param = "ip_address";
        showFormError(form, err, e);
      }
    });
  });
  return form;
}
