// preview.js: the theme editor's live preview: the portal's signed
// preview_url in a same-origin frame whose CSS custom properties follow the
// colour inputs before anything is saved.

import * as api from "../../../api.js";
import { h } from "../../../dom.js";
import { t } from "../../../i18n.js";

/**
 * livePreview is the frame and a note under it. colours() gives [css
 * variable, value] pairs; apply() sets them in the frame, show(link) loads
 * a preview link.
 */
export function livePreview(colours) {
  const frame = h("iframe", { class: "preview-frame", title: t("theme.preview_title"),
    sandbox: "allow-same-origin", loading: "lazy" });
  const note = h("p", { class: "muted small" });
  const show = (link) => {
    const src = api.local(link);
    if (src) frame.setAttribute("src", src);
    else note.textContent = t("theme.no_preview");
  };
  const apply = () => {
    const doc = frameDocument(frame);
    if (!doc || !doc.documentElement) return;
    for (const [cssVar, v] of colours()) if (v) doc.documentElement.style.setProperty(cssVar, v);
  };
  frame.addEventListener("load", () => {
    apply();
    const doc = frameDocument(frame);
    let ok = false;
    try {
      ok = !!doc && doc.location.href !== "about:blank";
    } catch {
      ok = false;
    }
    note.textContent = ok ? t("theme.live") : t("theme.not_live");
  });
  return { frame, note, apply, show };
}

/** frameDocument is the frame's document, or null when the browser keeps it from us. */
function frameDocument(frame) {
  try {
    return frame.contentDocument;
  } catch {
    return null;
  }
}
