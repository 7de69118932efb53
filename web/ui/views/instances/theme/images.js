// images.js: the theme editor's logo and icon: the current one, and
// uploading a new one.

import * as api from "../../../api.js";
import { h, nextId, fill } from "../../../dom.js";
import { button, errorBox, busy, toast } from "../../../kit.js";
import { t } from "../../../i18n.js";

/**
 * imageSlot shows the current logo or icon (type) and uploads a new one;
 * refresh() reads the portal again. Its words are the keys theme.<type>_….
 */
export function imageSlot(inst, type, label, hint, refresh) {
  const fileId = nextId();
  const current = () => inst.theme && inst.theme[type];
  const preview = h("div", { class: "image-preview image-" + type });
  const status = h("p", { class: "small", role: "status" });
  const err = errorBox();
  const draw = (link) => {
    fill(preview, link ? h("img", { src: api.local(link), alt: t("theme." + type + "_current") })
      : h("span", { class: "muted small", text: t("theme." + type + "_none") }));
  };
  const file = h("input", { type: "file", id: fileId, name: "file", accept: "image/png,image/jpeg,image/gif",
    class: "file-input" });
  const pick = button(t("theme." + type + (current() ? "_replace" : "_upload")), () => file.click(),
    { iconName: "plus", small: true });
  file.addEventListener("change", () => {
    const f = file.files && file.files[0];
    if (!f) return;
    err.clear();
    busy(pick, t("theme.uploading"), async () => {
      const fd = new FormData();
      fd.append("file", f, f.name);
      try {
        await api.post(`/captive/instances/${api.seg(inst.id)}/images/${type}`, fd);
        const fresh = await refresh();
        inst = fresh;
        draw(fresh.theme && fresh.theme[type]);
        status.textContent = t("theme." + type + "_uploaded");
        toast(status.textContent);
      } catch (e) {
        err.show(e, t("theme." + type + "_refused"));
      } finally {
        file.value = "";
      }
    });
  });
  draw(current());
  return h("div", { class: "image-slot" },
    h("div", { class: "image-head" }, h("label", { for: fileId, class: "strong", text: label }),
      h("p", { class: "muted small", text: hint })),
    preview, file, pick, err.el, status);
}
