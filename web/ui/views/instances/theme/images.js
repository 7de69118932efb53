// images.js: the theme editor's logo and icon: the current one, and
// uploading a new one.

import * as api from "../../../api.js";
import { h, nextId, fill } from "../../../dom.js";
import { button, errorBox, busy, toast } from "../../../kit.js";

/** imageSlot shows the current logo or icon and uploads a new one; refresh() reads the portal again. */
export function imageSlot(inst, type, label, hint, refresh) {
  const fileId = nextId();
  const current = () => inst.theme && inst.theme[type];
  const preview = h("div", { class: "image-preview image-" + type });
  const status = h("p", { class: "small", role: "status" });
  const err = errorBox();
  const draw = (link) => {
    fill(preview, link ? h("img", { src: api.local(link), alt: `Current ${label.toLowerCase()}` })
      : h("span", { class: "muted small", text: `No ${label.toLowerCase()} yet` }));
  };
  const file = h("input", { type: "file", id: fileId, name: "file", accept: "image/png,image/jpeg,image/gif",
    class: "file-input" });
  const what = label.toLowerCase();
  const pick = button(current() ? `Replace ${what}` : `Upload ${what}`, () => file.click(),
    { iconName: "plus", small: true });
  file.addEventListener("change", () => {
    const f = file.files && file.files[0];
    if (!f) return;
    err.clear();
    busy(pick, "Uploading…", async () => {
      const fd = new FormData();
      fd.append("file", f, f.name);
      try {
        await api.post(`/captive/instances/${api.seg(inst.id)}/images/${type}`, fd);
        const fresh = await refresh();
        inst = fresh;
        draw(fresh.theme && fresh.theme[type]);
        status.textContent = `${label} uploaded.`;
        toast(`${label} uploaded.`);
      } catch (e) {
        err.show(e, `The ${label.toLowerCase()} was not accepted.`);
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
