// coupons.js: generate coupons (or sell one: make it and print it in one
// click), find them by code or note, see them by status, look after one
// (note, more time, a new device, revoke), export CSV and print cards (the
// batch just made in one click, or a selection).

import * as api from "../api.js";
import { h, nextId, fill, add } from "../dom.js";
import { page, panel, loading, button, select, field, input, durationField, errorBox, showFormError, busy, confirmDialog, toast, stateBadge, emptyState, checkForm } from "../kit.js";
import { dateTime, relative } from "../format.js";
import { startPrint } from "./print.js";
import { printOne, editNote, extendCoupon, releaseCoupon } from "./coupon_desk.js";

const INSTANCE_KEY = "gatehouse.instance";
const STATUSES = [["valid", "Valid"], ["redeemed", "Used"], ["expired", "Expired"], ["revoked", "Revoked"], ["all", "All"]];
const PAGE = 200;

/** pickInstance returns the remembered coupon instance among list, or the first. */
export function pickInstance(list, wanted) {
  const id = wanted || localStorage.getItem(INSTANCE_KEY) || "";
  return (list.find((i) => i.id === id) || list[0] || {}).id || "";
}
export const rememberInstance = (id) => localStorage.setItem(INSTANCE_KEY, id);

export async function coupons(ctx) {
  const me = await ctx.refreshMe();
  const list = me.instances.filter((i) => i.strategy === "coupon");
  const p = page(ctx.isDesk ? "Generate and print coupons" : "Coupons", {
    lead: "Make Wi-Fi codes for guests, print them as cards or slips, and see which are used.",
  });
  add(ctx.main, p.el);
  if (!list.length) {
    add(p.body, emptyState(ctx.can("instances.manage") ? "There is no coupon portal yet. Create one under Portals first."
      : "There is no coupon portal yet. Ask your administrator to set one up."));
    return;
  }
  let instId = pickInstance(list, ctx.params.get("instance"));
  let status = ctx.params.get("status") || "valid";
  let rows = [];
  let shown = PAGE;
  const selected = new Set();

  const picker = select("instance", list.map((i) => [i.id, i.name]), instId);
  picker.addEventListener("change", () => {
    instId = picker.value;
    rememberInstance(instId);
    selected.clear();
    history.replaceState(null, "", "#/coupons?instance=" + encodeURIComponent(instId));
    justMade.replaceChildren();
    load();
    loadBatches();
  });

  // Generate.
  const count = input({ type: "number", name: "count", min: 1, max: 200, value: "10", required: true, inputmode: "numeric" });
  const valid = durationField("Must be used within", "minutes_valid", 86400, { units: ["minutes", "hours", "days"], hint: "After this, an unused code stops working." });
  const note = input({ name: "note", maxlength: 200, autocomplete: "off", spellcheck: "false" });
  const genErr = errorBox();
  const genBtn = button("Generate", null, { kind: "primary", type: "submit", iconName: "plus" });
  const oneBtn = ctx.can("coupons.create") ? button("Print one", () => sellOne(), { iconName: "print", attrs: { "data-test": "print-one" } }) : null;
  const justMade = h("div", { role: "status" });
  const genForm = h("form", { class: "form", novalidate: true }, genErr.el,
    h("div", { class: "grid-3" },
      field("How many", count, { hint: "1 to 200 codes." }),
      valid.el,
      field("Note (optional)", note, { hint: "Room number or guest name; every new code carries it." })),
    h("div", { class: "form-actions" }, genBtn, oneBtn), justMade);

  /** sellOne makes one code with the form's validity and note and prints it. */
  async function sellOne() {
    genErr.clear();
    const minutes = Math.round(valid.read() / 60);
    if (!(minutes >= 1)) return showFormError(genForm, genErr, { message: "Enter how long the code stays usable.", param: "minutes_valid" });
    await busy(oneBtn, "Printing…", async () => {
      try {
        await printOne(ctx, instId, { minutes, note: note.value.trim() });
      } catch (e) {
        showFormError(genForm, genErr, e);
      }
    });
  }
  genForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkForm(genForm, genErr)) return;
    const n = Number(count.value);
    const minutes = Math.round(valid.read() / 60);
    if (!Number.isInteger(n) || n < 1 || n > 200) return showFormError(genForm, genErr, { message: "Choose between 1 and 200 codes.", param: "count" });
    if (!(minutes >= 1)) return showFormError(genForm, genErr, { message: "Enter how long the codes stay usable.", param: "minutes_valid" });
    await busy(genBtn, "Generating…", async () => {
      try {
        const made = await api.post(`/captive/instances/${api.seg(instId)}/coupons`, { count: n, minutes_valid: minutes, note: note.value.trim() });
        const ids = made.map((c) => c.id);
        selected.clear();
        ids.forEach((id) => selected.add(id));
        const printBtn = button(`Print these ${made.length}`, () => startPrint(ctx, { instance: instId, coupon_ids: ids }), { kind: "primary", iconName: "print" });
        printBtn.dataset.test = "print-batch";
        fill(justMade, h("div", { class: "alert alert-good made" },
          h("p", null, h("strong", { text: `${made.length} new ${made.length === 1 ? "code" : "codes"} ready.` }), " They are selected in the list below."),
          h("div", { class: "made-codes" }, made.slice(0, 12).map((c) => h("span", { class: "code-chip", text: c.code })), made.length > 12 ? h("span", { class: "muted", text: `and ${made.length - 12} more` }) : null),
          printBtn));
        printBtn.focus();
        status = "valid";
        filterBar.querySelector(`input[value="valid"]`).checked = true;
        await load();
      } catch (e) {
        showFormError(genForm, genErr, e);
      }
    });
  });

  // Filter and list.
  const filterName = nextId("status");
  const filterBar = h("fieldset", { class: "segmented" }, h("legend", { class: "sr-only", text: "Show coupons" }),
    STATUSES.map(([v, label]) => {
      const id = nextId();
      const r = h("input", { type: "radio", name: filterName, id, value: v, checked: v === status });
      r.addEventListener("change", () => { status = v; shown = PAGE; load(); });
      return h("span", null, r, h("label", { for: id, text: label }));
    }));
  let query = ctx.params.get("q") || "";
  const search = input({ type: "search", name: "q", value: query, maxlength: 200, autocomplete: "off", spellcheck: "false",
    placeholder: "Code, room or name", "aria-label": "Find codes by code or note" });
  let searchTimer;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { query = search.value.trim(); shown = PAGE; load(); }, 250);
  });
  const searchBox = h("div", { class: "coupon-search" }, search);
  const listErr = errorBox();
  const tableBox = h("div", null, loading());
  const printSel = button("Print selected", () => startPrint(ctx, { instance: instId, coupon_ids: [...selected] }), { iconName: "print" });
  const revokeSel = ctx.can("coupons.revoke") ? button("Revoke selected", () => revokeMany([...selected]), { kind: "danger" }) : null;
  const csvBtn = button("Export CSV", () => busy(csvBtn, "Exporting…", async () => {
    try {
      await api.download(`/captive/instances/${api.seg(instId)}/coupons?status=${status}`, `coupons-${status}-${new Date().toISOString().slice(0, 10)}.csv`, "text/csv");
    } catch (e) {
      listErr.show(e, "The CSV could not be exported.");
    }
  }), { iconName: "download" });
  const selInfo = h("span", { class: "muted small", role: "status" });
  const actions = h("div", { class: "list-actions" }, selInfo, printSel, revokeSel, csvBtn);

  function syncSelection() {
    const n = selected.size;
    selInfo.textContent = n ? `${n} selected` : revokeSel ? "Select codes to print or revoke them." : "Select codes to print them.";
    printSel.disabled = !n;
    printSel.querySelector("span").textContent = n ? `Print selected (${n})` : "Print selected";
    if (revokeSel) revokeSel.disabled = !rows.some((c) => selected.has(c.id) && c.status === "valid");
  }

  async function load() {
    listErr.clear();
    try {
      rows = await api.get(`/captive/instances/${api.seg(instId)}/coupons?status=${status}` + (query ? "&q=" + encodeURIComponent(query) : ""));
    } catch (e) {
      if (e.status === 401) return;
      rows = [];
      tableBox.replaceChildren();
      listErr.show(e, "The coupons could not be loaded.");
      syncSelection();
      return;
    }
    const ids = new Set(rows.map((c) => c.id));
    for (const id of [...selected]) if (!ids.has(id)) selected.delete(id);
    draw();
  }

  function draw() {
    syncSelection();
    if (!rows.length) {
      fill(tableBox, h("p", { class: "empty", text: query ? `No codes with this status match “${query}”.` : status === "valid" ? "No unused codes. Generate some above." : "No codes with this status." }));
      return;
    }
    const all = h("input", { type: "checkbox", "aria-label": "Select all codes shown" });
    const visible = rows.slice(0, shown);
    const boxes = [];
    const setAll = () => {
      const n = visible.filter((c) => selected.has(c.id)).length;
      all.checked = n === visible.length;
      all.indeterminate = n > 0 && n < visible.length;
    };
    all.addEventListener("change", () => {
      for (const c of visible) all.checked ? selected.add(c.id) : selected.delete(c.id);
      boxes.forEach((b) => {
        b.checked = all.checked;
        b.closest("tr").classList.toggle("is-selected", all.checked);
      });
      syncSelection();
    });
    const body = visible.map((c) => {
      const box = h("input", { type: "checkbox", checked: selected.has(c.id), "aria-label": `Select ${c.code}` });
      boxes.push(box);
      box.addEventListener("change", () => {
        box.checked ? selected.add(c.id) : selected.delete(c.id);
        box.closest("tr").classList.toggle("is-selected", box.checked);
        setAll();
        syncSelection();
      });
      return h("tr", { class: selected.has(c.id) ? "is-selected" : null },
        h("td", { class: "col-check" }, box),
        h("td", { data: { label: "Code" } }, h("span", { class: "code", text: c.code })),
        h("td", { class: "col-note", data: { label: "Note" } }, c.note ? h("span", { class: "coupon-note", text: c.note }) : h("span", { class: "muted", text: "—" })),
        h("td", { data: { label: "Status" } }, stateBadge(c.status)),
        h("td", { data: { label: "Use by" } }, h("span", { title: dateTime(c.expires_at), text: dateTime(c.expires_at) })),
        h("td", { data: { label: "Used" } }, c.redeemed_at
          ? h("span", { title: dateTime(c.redeemed_at) }, relative(c.redeemed_at), c.session_ends_at ? h("span", { class: "muted small block", text: `session until ${dateTime(c.session_ends_at)}` }) : null)
          : h("span", { class: "muted", text: "—" })),
        h("td", { class: "col-created", data: { label: "Created" } }, dateTime(c.created_at)),
        h("td", { class: "col-actions" }, rowActions(c)));
    });
    setAll();
    const more = rows.length > shown ? button(`Show ${Math.min(PAGE, rows.length - shown)} more of ${rows.length - shown}`, () => { shown += PAGE; draw(); }, { kind: "ghost" }) : null;
    fill(tableBox, h("div", { class: "table-wrap" }, h("table", { class: "table table-coupons" },
      h("caption", { class: "sr-only", text: "Coupons" }),
      h("thead", null, h("tr", null, h("th", { class: "col-check", scope: "col" }, all),
        ["Code", "Note", "Status", "Use by", "Used"].map((t) => h("th", { scope: "col", class: t === "Note" ? "col-note" : null, text: t })), h("th", { scope: "col", class: "col-created", text: "Created" }), h("th", { scope: "col", class: "col-actions" }, h("span", { class: "sr-only", text: "Actions" })))),
      h("tbody", null, body))), more);
  }

  /** rowActions are the buttons of one coupon, by what the role may do and the coupon's state. */
  function rowActions(c) {
    const canEdit = ctx.can("coupons.update");
    const running = c.status === "redeemed" && c.session_ends_at && new Date(c.session_ends_at) > new Date();
    const act = (label, fn, aria) => button(label, () => fn().catch((e) => { if (e.status !== 401) listErr.show(e, `${c.code}: ${label.toLowerCase()} failed.`); }),
      { kind: "ghost", small: true, attrs: { "aria-label": `${aria} ${c.code}` } });
    return h("div", { class: "row-actions" },
      canEdit ? act("Note", async () => { if (await editNote(instId, c)) load(); }, "Edit the note of") : null,
      canEdit && c.status !== "revoked" && (c.status !== "redeemed" || running)
        ? act("Extend", async () => { if (await extendCoupon(instId, c)) load(); }, "More time for") : null,
      canEdit && running && c.redeemed_mac
        ? act("New device", async () => { if (await releaseCoupon(instId, c)) load(); }, "Free for a new device:") : null,
      ctx.can("coupons.revoke") && c.status === "valid"
        ? button("Revoke", () => revokeMany([c.id]), { kind: "ghost", small: true, attrs: { "aria-label": `Revoke ${c.code}` } }) : null);
  }

  async function revokeMany(ids) {
    const codes = rows.filter((c) => ids.includes(c.id) && c.status === "valid");
    if (!codes.length) return;
    const ok = await confirmDialog({
      title: codes.length === 1 ? `Revoke ${codes[0].code}?` : `Revoke ${codes.length} codes?`,
      body: "A revoked code stops working at once, and a guest using it is disconnected. This cannot be undone.",
      confirm: "Revoke",
    });
    if (!ok) return;
    let failed = 0;
    let last;
    for (const c of codes) {
      try {
        await api.del(`/captive/instances/${api.seg(instId)}/coupons/${api.seg(c.id)}`);
        selected.delete(c.id);
      } catch (e) {
        failed++;
        last = e;
        if (e.status === 401) return;
      }
    }
    if (failed) listErr.show(last, `${failed} of ${codes.length} could not be revoked.`);
    else toast(codes.length === 1 ? `${codes[0].code} revoked.` : `${codes.length} codes revoked.`);
    load();
  }

  // Scheduled batches (e.g. the morning's codes) to print.
  const batchBox = h("div");
  async function loadBatches() {
    batchBox.replaceChildren();
    if (!ctx.can("schedules.read")) return;
    let list;
    try {
      list = await api.get(`/captive/instances/${api.seg(instId)}/coupon-schedules`);
    } catch {
      return; // optional: the rest of the page works without it
    }
    if (!list.length) return;
    fill(batchBox, panel("Scheduled batches", h("p", { class: "muted", text: "Codes made automatically. Print the latest batch of a schedule." }),
      h("ul", { class: "batch-list" }, list.map((s) => {
        const err = h("span", { class: "error-text small", role: "status" });
        const btn = button("Print latest batch", () => busy(btn, "Loading…", async () => {
          err.textContent = "";
          try {
            const runs = await api.get(`/captive/instances/${api.seg(instId)}/coupon-schedules/${api.seg(s.id)}/runs?limit=1`);
            if (!runs.length) err.textContent = "This schedule has not run yet.";
            else startPrint(ctx, { instance: instId, run_id: runs[0].id });
          } catch (e) {
            err.textContent = e.message;
          }
        }), { iconName: "print", small: true, attrs: { disabled: !s.last_run_at } });
        return h("li", null, h("div", null, h("strong", { text: s.name }), h("div", { class: "muted small",
          text: s.last_run_at ? `Last batch ${relative(s.last_run_at)}: ${s.tokens_generated_since_last_run} made, ${s.tokens_available_since_last_run} unused` : "Not run yet" })), btn, err);
      }))));
  }

  add(p.body, list.length > 1 ? h("div", { class: "toolbar" }, field("Portal", picker, { hint: "Codes work only on the Wi-Fi of this portal's sites." })) : null,
    panel("New codes", genForm), batchBox,
    panel("Codes", h("div", { class: "list-head" }, h("div", { class: "list-filters" }, filterBar, searchBox), actions), listErr.el, tableBox));
  await load();
  loadBatches();
}
