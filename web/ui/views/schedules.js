// schedules.js: recurring coupon batches per portal: create/edit, run now,
// copy the signed link, run history with notification outcomes, print a run.

import * as api from "../api.js";
import { h, fill, add } from "../dom.js";
import { page, panel, loading, button, select, field, input, durationField, errorBox, showFormError, busy, confirmDialog, toast, stateBadge, emptyState, copyBox, copyText, table, checkForm } from "../kit.js";
import { dateTime, dateTimeIn, browserZone, relative, duration } from "../format.js";
import { startPrint } from "../print_job.js";
import { pickInstance, rememberInstance } from "../instance_picker.js";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export async function schedules(ctx) {
  const me = await ctx.refreshMe();
  const list = me.instances.filter((i) => i.strategy === "coupon");
  const p = page("Schedules", { lead: "Batches of coupons made automatically, e.g. every morning at 7:00, ready to print or sent by e-mail." });
  add(ctx.main, p.el);
  if (!list.length) {
    add(p.body, emptyState("Schedules make coupons for a coupon portal. Create one under Portals first."));
    return;
  }
  let instId = pickInstance(list, ctx.params.get("instance"));
  const manage = ctx.can("schedules.manage");
  const picker = select("instance", list.map((i) => [i.id, i.name]), instId);
  const listBox = h("div", null, loading());
  const editorBox = h("div");
  const listErr = errorBox();
  // Notification groups, for the form and the cards; optional.
  let groups = [];
  const groupsReady = manage ? api.get("/captive/notification-groups").then((g) => { groups = g; }, () => {}) : Promise.resolve();
  const flash = new Map(); // schedule id → message to show after the list reloads
  picker.addEventListener("change", () => {
    instId = picker.value;
    rememberInstance(instId);
    history.replaceState(null, "", "#/schedules?instance=" + encodeURIComponent(instId));
    editorBox.replaceChildren();
    load();
  });
  const newBtn = manage ? button("New schedule", () => edit(null), { kind: "primary", iconName: "plus" }) : null;
  add(p.head, h("div", { class: "page-actions" }, newBtn));
  add(p.body, list.length > 1 ? h("div", { class: "toolbar" }, field("Portal", picker)) : null, editorBox, listErr.el, listBox);

  const base = () => `/captive/instances/${api.seg(instId)}/coupon-schedules`;

  async function load() {
    await groupsReady;
    listErr.clear();
    let items;
    try {
      items = await api.get(base());
    } catch (e) {
      listBox.replaceChildren();
      listErr.show(e, "The schedules could not be loaded.");
      return;
    }
    if (!items.length) {
      fill(listBox, emptyState("No schedules for this portal yet.", newBtn ? button("Create the first schedule", () => edit(null), { kind: "primary", iconName: "plus" }) : null));
      return;
    }
    fill(listBox, ...items.map(scheduleCard));
  }

  /** nextBatch: the next run in the schedule's zone, named, and in the reader's when that differs. */
  function nextBatch(s) {
    if (!s.next_run_at) return h("strong", { text: "—" });
    const here = browserZone();
    const other = s.timezone && here && s.timezone !== here;
    return h("span", { class: "schedule-next-at" },
      h("strong", { text: dateTimeIn(s.next_run_at, s.timezone), title: s.timezone }),
      other ? h("span", { class: "muted small", text: `${dateTimeIn(s.next_run_at, here)} here` }) : null);
  }

  function when(s) {
    const at = s.run_at || "00:00";
    const tz = ` (${s.timezone})`;
    if (s.recurrence_type === "weekly") return `Every ${DAYS[s.day_of_week ?? 1]} at ${at}${tz}`;
    if (s.recurrence_type === "monthly") return `Monthly on day ${s.day_of_month} at ${at}${tz}`;
    return `Every day at ${at}${tz}`;
  }

  function scheduleCard(s) {
    const histBox = h("div");
    const out = h("div", { role: "status" }, flash.get(s.id) || null);
    flash.delete(s.id);
    const runBtn = manage ? button("Run now", () => busy(runBtn, "Running…", async () => {
      out.replaceChildren();
      try {
        const made = await api.post(`${base()}/${api.seg(s.id)}/run`);
        const ids = made.map((c) => c.id);
        flash.set(s.id, h("div", { class: "alert alert-good run-made" }, h("strong", { text: `${made.length} codes made. ` }),
          button(`Print these ${made.length}`, () => startPrint(ctx, { instance: instId, coupon_ids: ids }), { kind: "primary", small: true, iconName: "print" })));
        await load(); // the counts changed; the message stays with its card
      } catch (e) {
        fill(out, h("div", { class: "alert alert-error", role: "alert", text: e.message }));
      }
    }), { iconName: "refresh" }) : null;
    const linkBtn = button("Copy signed link", () => busy(linkBtn, "Making link…", async () => {
      out.replaceChildren();
      try {
        const { signed_url: url } = await api.get(`${base()}/${api.seg(s.id)}/generate_url`);
        const copied = await copyText(url);
        fill(out, h("div", { class: "alert alert-info" },
          h("p", { text: copied ? "Link copied. It lists this schedule's unused codes without signing in, for 24 hours." : "Copy this link. It lists this schedule's unused codes without signing in, for 24 hours." }),
          copyBox("Signed link", url)));
        if (!copied) out.querySelector("input").select();
      } catch (e) {
        fill(out, h("div", { class: "alert alert-error", role: "alert", text: e.message }));
      }
    }), { iconName: "copy" });
    const histBtn = button("Run history", async () => {
      const open = histBtn.getAttribute("aria-expanded") === "true";
      histBtn.setAttribute("aria-expanded", String(!open));
      if (open) return histBox.replaceChildren();
      fill(histBox, loading());
      await runHistory(s, histBox);
    }, { attrs: { "aria-expanded": "false" } });
    const editBtn = manage ? button("Edit", () => edit(s), { kind: "ghost" }) : null;
    const delBtn = manage ? button("Delete", async () => {
      if (!(await confirmDialog({ title: `Delete “${s.name}”?`, body: "No more batches will be made. Codes it already made keep working." }))) return;
      try {
        await api.del(`${base()}/${api.seg(s.id)}`);
        toast("Schedule deleted.");
        load();
      } catch (e) {
        fill(out, h("div", { class: "alert alert-error", role: "alert", text: e.message }));
      }
    }, { kind: "ghost" }) : null;
    return h("section", { class: "panel schedule" },
      h("div", { class: "schedule-head" },
        h("div", null, h("h2", { text: s.name }), h("p", { class: "muted", text: `${when(s)} · ${s.count} codes, usable for ${duration(s.valid_for_in_minutes * 60)}` })),
        h("div", { class: "schedule-next" }, h("span", { class: "muted small", text: "Next batch" }), nextBatch(s))),
      h("dl", { class: "facts facts-inline" },
        fact("Last run", s.last_run_at ? relative(s.last_run_at) : "never"),
        fact("Made", String(s.tokens_generated_since_last_run ?? 0)),
        fact("Used", String(s.tokens_used_since_last_run ?? 0)),
        fact("Unused", String(s.tokens_available_since_last_run ?? 0)),
        fact("Notifies", groupName(s.notification_group_id))),
      s.last_notification_error ? h("div", { class: "alert alert-error" }, h("strong", { text: "The last batch could not be sent: " }), s.last_notification_error) : null,
      h("div", { class: "form-actions" }, runBtn, linkBtn, histBtn, editBtn, delBtn),
      out, histBox);
  }

  function groupName(id) {
    if (!id) return "nobody";
    const g = groups.find((x) => x.id === id);
    return g ? g.name : "a notification group";
  }

  async function runHistory(s, box) {
    let runs;
    try {
      runs = await api.get(`${base()}/${api.seg(s.id)}/runs?limit=20`);
    } catch (e) {
      fill(box, h("div", { class: "alert alert-error", role: "alert" }, h("strong", { text: "The run history could not be loaded. " }), e.message));
      return;
    }
    fill(box, h("h3", { text: "Run history" }), table([
      { label: "Ran", cell: (r) => h("span", null, dateTime(r.ran_at), r.manual ? h("span", { class: "muted small", text: " (run by hand)" }) : null) },
      { label: "Made · used · unused", cell: (r) => `${r.generated} · ${r.used} · ${r.available}` },
      { label: "Notifications", className: "col-wide", cell: notes },
      { label: "", className: "col-actions", cell: (r) => button("Print", () => startPrint(ctx, { instance: instId, run_id: r.id }), { small: true, iconName: "print", attrs: { "aria-label": `Print the batch of ${dateTime(r.ran_at)}` } }) },
    ], runs, { empty: "This schedule has not run yet." }));
  }

  function notes(r) {
    if (!r.notifications.length) return h("span", { class: "muted", text: "none sent" });
    return h("ul", { class: "notes" }, r.notifications.map((n) => h("li", { class: n.status === "failed" ? "note-failed" : null },
      stateBadge(n.status), " ", h("span", { text: `${n.channel === "email" ? "E-mail to" : "Webhook"} ${n.target}` }),
      n.status === "failed" ? h("div", { class: "error-text small", text: `Failed after ${n.attempts} ${n.attempts === 1 ? "try" : "tries"}${n.last_error ? ": " + n.last_error : "."}` }) : null,
      n.status === "pending" && n.last_error ? h("div", { class: "muted small", text: `Retrying (${n.attempts} tries so far): ${n.last_error}` }) : null)));
  }

  async function edit(s) {
    await groupsReady;
    const err = errorBox();
    const editing = !!s;
    s = s || { count: 20, recurrence_type: "daily", run_at: "07:00", valid_for_in_minutes: 1440, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" };
    const name = input({ name: "name", value: s.name || "", required: true, placeholder: "Morning guest codes" });
    const count = input({ type: "number", name: "count", min: 1, max: 500, value: String(s.count), required: true });
    const rec = select("recurrence_type", [["daily", "Every day"], ["weekly", "Every week"], ["monthly", "Every month"]], s.recurrence_type);
    const dow = select("day_of_week", DAYS.map((d, i) => [i, d]), s.day_of_week ?? 1);
    const dom = input({ type: "number", name: "day_of_month", min: 1, max: 31, value: String(s.day_of_month ?? 1) });
    const dowField = field("Day of the week", dow);
    const domField = field("Day of the month", dom, { hint: "In shorter months, a day past the month's end runs on its last day." });
    const runAt = input({ type: "time", name: "run_at", value: s.run_at || "07:00", required: true });
    const tzList = h("datalist", { id: "tz-list" }, (Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : []).map((z) => h("option", { value: z })));
    const tz = input({ name: "timezone", value: s.timezone, list: "tz-list", required: true, spellcheck: "false" });
    const valid = durationField("Codes stay usable for", "valid_for_in_minutes", s.valid_for_in_minutes * 60, { units: ["minutes", "hours", "days"] });
    const grp = select("notification_group_id", [["", "Nobody"], ...groups.map((g) => [g.id, g.name])], s.notification_group_id || "");
    const syncRec = () => {
      dowField.hidden = rec.value !== "weekly";
      domField.hidden = rec.value !== "monthly";
    };
    rec.addEventListener("change", syncRec);
    syncRec();
    const save = button(editing ? "Save schedule" : "Create schedule", null, { kind: "primary", type: "submit" });
    const form = h("form", { class: "form", novalidate: true }, err.el,
      h("div", { class: "grid-2" },
        field("Name", name),
        field("Codes per batch", count, { hint: "1 to 500." }),
        field("Repeat", rec), dowField, domField,
        field("At", runAt),
        field("Time zone", tz, { hint: "The venue's time zone, e.g. Europe/London." }),
        valid.el,
        field("Tell", grp, { hint: groups.length ? "Who gets the new codes by e-mail or webhook." : "Set up notification groups to send each batch by e-mail." })),
      tzList,
      h("div", { class: "form-actions" }, save, button("Cancel", () => editorBox.replaceChildren(), { kind: "ghost" })));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!checkForm(form, err)) return;
      const body = {
        name: name.value.trim(), count: Number(count.value), recurrence_type: rec.value, run_at: runAt.value,
        timezone: tz.value.trim(), valid_for_in_minutes: Math.round(valid.read() / 60),
        notification_group_id: grp.value || null,
        day_of_week: rec.value === "weekly" ? Number(dow.value) : null,
        day_of_month: rec.value === "monthly" ? Number(dom.value) : null,
      };
      await busy(save, "Saving…", async () => {
        try {
          if (editing) await api.put(`${base()}/${api.seg(s.id)}`, body);
          else await api.post(base(), body);
          toast(editing ? "Schedule saved." : "Schedule created.");
          editorBox.replaceChildren();
          load();
        } catch (e) {
          showFormError(form, err, e);
        }
      });
    });
    fill(editorBox, panel(editing ? `Edit “${s.name}”` : "New schedule", form));
    name.focus();
  }

  await load();
}

function fact(label, value) {
  return h("div", null, h("dt", { text: label }), h("dd", null, value));
}
