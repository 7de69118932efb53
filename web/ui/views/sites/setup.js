// setup.js: a site's setup checklist (GET /captive/sites/<id>/setup), with
// the buttons that fix what gatehouse can fix itself: install the login
// page, enable PAP, sync, test login.

import * as api from "../../api.js";
import { h, fill } from "../../dom.js";
import { badge, button, busy, loading, toast } from "../../kit.js";
import { syncNow } from "./sync.js";
import { t } from "../../i18n.js";
import { serverText, knownText } from "../../format.js";

/** TITLES: each step's key in the catalogues. */
const TITLES = {
  api: "setup.api",
  hotspot_server: "setup.hotspot_server",
  login_page: "setup.login_page",
  login_method: "setup.login_method",
  walled_garden: "setup.walled_garden",
  test_login: "setup.test_login",
};

/**
 * setupChecklist draws the checklist of site id into box and returns a
 * function that reads it again. onChange runs after a button changed the
 * router (the site's status may have changed).
 */
export function setupChecklist(ctx, id, box, onChange) {
  const base = "/captive/sites/" + api.seg(id);
  const status = h("p", { role: "status", class: "setup-status" });

  async function act(btn, label, fn) {
    await busy(btn, label, async () => {
      try {
        const msg = await fn();
        if (msg) toast(msg);
      } catch (e) {
        toast(e.message, "bad");
      }
      onChange && onChange();
      await load();
    });
  }

  async function load() {
    let r;
    try {
      r = await api.get(base + "/setup");
    } catch (e) {
      fill(box, h("div", { class: "alert alert-error", role: "alert", text: e.message }));
      return;
    }
    const done = r.steps.filter((s) => s.ok).length;
    status.textContent = r.ok ? t("setup.all_done") : t("setup.n_done", { done, of: r.steps.length });
    const check = button(t("setup.check"), () => busy(check, t("setup.checking"), load), { small: true, iconName: "refresh" });
    fill(box,
      h("div", { class: "setup-head" }, status, check),
      h("ol", { class: "setup-list" }, r.steps.map((s) =>
        h("li", { class: "setup-step " + (s.ok ? "is-done" : "is-todo"), "data-step": s.id },
          h("div", { class: "setup-title" },
            badge(s.ok ? t("setup.done") : t("setup.todo"), s.ok ? "good" : "bad"),
            h("strong", { text: TITLES[s.id] ? t(TITLES[s.id]) : s.id })),
          h("p", { class: "setup-detail", text: words(s.detail_parts, s.detail) }),
          fixBox(s),
          stepActions(id, s, act)))));
  }

  fill(box, loading());
  load();
  return load;
}

/**
 * stepActions are the buttons that fix a step of site id; act(btn, label,
 * fn) runs one and reads the list again. Sync now shows a dry run first.
 */
function stepActions(id, step, act) {
  const base = "/captive/sites/" + api.seg(id);
  const out = [];
  if (step.id === "login_page" && !step.ok && !says(step, ["check.page_no_portal", "check.not_checked_router", "check.not_checked_server"])) {
    const b = button(t("setup.install"), () => act(b, t("setup.installing"), async () => {
      const r = await api.post(base + "/install-login-page");
      return t("setup.installed", { files: r.files.map((f) => f.name).join(", ") });
    }), { kind: "primary", small: true, iconName: "download" });
    out.push(b);
  }
  // Enable PAP where the fix asks for it (not for the mac-cookie hint alone).
  if (step.id === "login_method" && says(step, ["check.method_none_fix", "check.method_chap_fix"], "fix_parts")) {
    const b = button(t("setup.pap"), () => act(b, t("setup.enabling"), async () => {
      await api.post(base + "/enable-pap");
      return t("setup.pap_done");
    }), { kind: step.ok ? "secondary" : "primary", small: true });
    out.push(b);
  }
  if (step.id === "walled_garden" && !step.ok) {
    const b = button(t("sync.now"), () => act(b, t("sync.comparing"), async () => {
      const r = await syncNow(id);
      return r ? t("setup.synced") : "";
    }), { kind: "primary", small: true, iconName: "refresh" });
    out.push(b);
  }
  if (step.id === "test_login" && !says(step, ["check.not_checked_router", "check.not_checked_server"])) {
    // Optionally a device on the hotspot (its address) is logged in with
    // the test code and out again.
    const ip = h("input", { type: "text", name: "test_ip", class: "mono setup-ip", inputmode: "decimal",
      spellcheck: "false", placeholder: t("setup.ip_placeholder"), "aria-label": t("setup.ip_aria") });
    const b = button(step.ok ? t("setup.test_again") : t("setup.test_login"), () => act(b, t("sitepage.testing"), async () => {
      const r = await api.post(base + "/setup/test-login", ip.value.trim() ? { ip: ip.value.trim() } : {});
      return r.ok ? t("setup.test_worked") : t("setup.test_failed");
    }), { kind: step.ok ? "secondary" : "primary", small: true });
    out.push(b, h("label", { class: "setup-ip-label muted" }, t("setup.also_device") + " ", ip));
  }
  return out.length ? h("div", { class: "setup-actions" }, out) : null;
}

/**
 * words is a step's sentences in the page's language; fallback (the
 * server's English) when there are none or one is not in the catalogues.
 */
function words(parts, fallback) {
  if (!parts || !parts.length || !parts.every(knownText)) return fallback || "";
  return parts.map((p) => serverText(p, "")).join(" ");
}

/** says reports whether step's detail (or, with from "fix_parts", its fix) has one of the sentences keys. */
function says(step, keys, from = "detail_parts") {
  return (step[from] || []).some((p) => keys.includes(p.key));
}

/** fixBox is what to do by hand for a step: a sentence, RouterOS commands to paste, notes. */
function fixBox(step) {
  if (!step.fix) return null;
  const parts = step.fix_parts || [];
  if (!parts.length || !parts.every(knownText)) { // a newer server's sentence: its English, as it wrote it
    const [first, ...rest] = step.fix.split("\n");
    return h("div", { class: "setup-fix" }, h("p", { text: first }),
      rest.map((l) => h(l.startsWith("/") ? "pre" : "p", { class: l.startsWith("/") ? "mono setup-cmds" : "muted", text: l })));
  }
  const [first, ...notes] = parts.map((p) => serverText(p, ""));
  const cmds = step.commands || [];
  return h("div", { class: "setup-fix" },
    h("p", { text: first }),
    cmds.length ? h("pre", { class: "mono setup-cmds", tabindex: "0", "aria-label": t("setup.commands"),
      text: cmds.join("\n") }) : null,
    notes.map((n) => h("p", { class: "muted", text: n })));
}
