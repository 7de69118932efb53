// consents.js: a portal's consent receipts: one per login through it
// while it has terms of use (when, where, which device and identity, by
// which code or sign-in, in which language, and the exact terms text),
// for the days chosen, with a CSV download of the same receipts.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { panel, button, field, input, errorBox, showFormError, busy, loading } from "../../kit.js";
import { isoDay, dayStart, number } from "../../format.js";
import { consentTable } from "../../consent.js";
import { t } from "../../i18n.js";

const SHOWN = 100; // receipts on the page at most; the CSV has them all

/** consentsPanel is the "Consent receipts" panel of portal inst; sites are the sites the caller may read. */
export function consentsPanel(inst, sites) {
  const path = "/captive/instances/" + api.seg(inst.id) + "/consents";
  const siteName = (id) => sites.find((s) => s.id === id)?.name || t("consent.removed_site");
  const err = errorBox();
  const box = h("div", null, loading());
  const from = input({ type: "date", name: "since", value: isoDay(-29), required: true });
  const to = input({ type: "date", name: "until", value: isoDay(), required: true });
  const query = () => new URLSearchParams({ since: dayStart(from.value), until: dayStart(to.value, 1) });
  const form = h("form", { class: "ledger-filters", novalidate: true },
    field(t("consent.from"), from), field(t("consent.to"), to), button(t("consent.show"), null, { type: "submit" }));

  async function load() {
    err.clear();
    if (!from.value || !to.value || to.value < from.value) {
      showFormError(form, err, { param: "until", message: t("consent.bad_range") });
      return;
    }
    fill(box, loading());
    let list;
    try {
      list = await api.get(path + "?" + query());
    } catch (e) {
      box.replaceChildren();
      if (e.status !== 401) err.show(e, t("consent.not_loaded"));
      return;
    }
    const newest = list.slice(-SHOWN).reverse();
    fill(box,
      list.length > SHOWN ? h("p", { class: "muted small", role: "status",
        text: t("consent.latest", { shown: number(SHOWN), total: number(list.length) }) }) : null,
      consentTable(newest, siteName, { empty: t("consent.none_days") }));
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });

  const csv = button(t("consent.download_csv"), () => busy(csv, t("portal.downloading"), async () => {
    try {
      await api.download(path + "?" + query(), `consents-${from.value}-to-${to.value}.csv`, "text/csv");
    } catch (e) {
      err.show(e, t("consent.csv_failed"));
    }
  }), { iconName: "download" });
  load();
  const el = panel(t("consent.title"),
    h("p", { class: "muted", text: inst.terms_text ? t("consent.lead_terms") : t("consent.lead_none") }),
    h("div", { class: "list-head" }, form, h("div", { class: "list-actions" }, csv)), err.el, box);
  el.classList.add("consents");
  return el;
}
