// instance_picker.js: the coupon portal a page works on: the one named in
// the URL, else the one used last (remembered in localStorage), else the
// first; and the "Portal" picker that switches it.

import { h } from "./dom.js";
import { select, field } from "./kit.js";
import { t } from "./i18n.js";

const INSTANCE_KEY = "gatehouse.instance";

/** couponInstances are the caller's portals that hand out coupons. */
export const couponInstances = (me) => me.instances.filter((i) => i.strategy === "coupon");

/** pickInstance returns the remembered coupon instance among list, or the first. */
export function pickInstance(list, wanted) {
  const id = wanted || localStorage.getItem(INSTANCE_KEY) || "";
  return (list.find((i) => i.id === id) || list[0] || {}).id || "";
}

export const rememberInstance = (id) => localStorage.setItem(INSTANCE_KEY, id);

/**
 * instancePicker is the toolbar with the "Portal" picker of the page at
 * route (null when there is one portal). A choice is remembered and put in
 * the URL, then onChange(id) is called.
 */
export function instancePicker(list, id, route, onChange, { hint } = {}) {
  const picker = select("instance", list.map((i) => [i.id, i.name]), id);
  picker.addEventListener("change", () => {
    rememberInstance(picker.value);
    history.replaceState(null, "", `#/${route}?instance=` + encodeURIComponent(picker.value));
    onChange(picker.value);
  });
  return list.length > 1 ? h("div", { class: "toolbar" }, field(t("picker.portal"), picker, { hint })) : null;
}
