// format.js: dates, durations, numbers, money and sizes in words, in the
// page's language (i18n.js: its locale()) and the browser's time zone (the
// API speaks UTC).

import { t, tn, tIn, locale, intlTag } from "./i18n.js";

const formats = new Map(); // Intl formatters by kind, locale and options, made once

/** cached makes a formatter of class Kind once per locale and options. */
function cached(Kind, loc, options) {
  const key = `${Kind.name}|${loc}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Kind(loc, options);
    formats.set(key, f);
  }
  return f;
}

const dateTimeFmt = () => cached(Intl.DateTimeFormat, locale(), { dateStyle: "medium", timeStyle: "short" });
const relFmt = () => cached(Intl.RelativeTimeFormat, locale(), { numeric: "auto" });

/** number: n in the page's locale ("1,234", "1.234"). */
export const number = (n) => cached(Intl.NumberFormat, locale(), {}).format(Number(n) || 0);

/** percent: n per cent in the page's locale ("42%", "42 %"). */
export const percent = (n) => cached(Intl.NumberFormat, locale(), { style: "percent", maximumFractionDigits: 1 })
  .format((Number(n) || 0) / 100);

function parse(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return isNaN(d) ? null : d;
}

/** dateTime: "12 Mar 2025, 14:05"; "" for no date. */
export function dateTime(iso) {
  const d = parse(iso);
  return d ? dateTimeFmt().format(d) : "";
}

/** knownText reports whether the page's catalogues word text ({key, params}, app.Text). */
export const knownText = (text) => !!(text && text.key && t(text.key) !== text.key);

/**
 * serverText words a sentence the server wrote as a catalogue key and
 * params ({key, params}, app.Text), its {at} as a date and time here;
 * fallback (the server's English) when no catalogue has the key (a newer
 * server than this page).
 */
export function serverText(text, fallback) {
  if (!knownText(text)) return fallback || "";
  const params = { ...(text.params || {}) };
  if (params.at) params.at = dateTime(params.at) || params.at;
  return t(text.key, params);
}

/** browserZone is the browser's IANA time zone, or "" when it cannot say. */
export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

/** zoneName: the short name of time zone tz at the date ("CET", "GMT+9"); tz itself if unknown. */
export function zoneName(d, tz) {
  try {
    const part = new Intl.DateTimeFormat(locale(), { timeZone: tz || undefined, timeZoneName: "short" })
      .formatToParts(d).find((p) => p.type === "timeZoneName");
    return part ? part.value : tz;
  } catch {
    return tz || "";
  }
}

/**
 * dateTimeIn: the date and time in time zone tz with the zone's short name:
 * "12 Mar 2025, 07:00 GMT+9"; "" for no date. Without tz, the browser's zone.
 */
export function dateTimeIn(iso, tz) {
  const d = parse(iso);
  if (!d) return "";
  let text;
  try {
    const format = { dateStyle: "medium", timeStyle: "short", timeZone: tz || undefined };
    text = new Intl.DateTimeFormat(locale(), format).format(d);
  } catch {
    text = dateTimeFmt().format(d);
    tz = "";
  }
  return `${text} ${zoneName(d, tz)}`;
}

/** isoDay is a local date as YYYY-MM-DD, days from today. */
export function isoDay(days = 0) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** dayStart is local midnight at the start of day (YYYY-MM-DD), plus days, as RFC 3339. */
export function dayStart(day, days = 0) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

/** relative: "5 minutes ago", "in 2 hours". */
export function relative(iso, now = Date.now()) {
  const d = parse(iso);
  if (!d) return "";
  const s = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return relFmt().format(0, "second");
  if (abs < 3600) return relFmt().format(Math.round(s / 60), "minute");
  if (abs < 86400) return relFmt().format(Math.round(s / 3600), "hour");
  return relFmt().format(Math.round(s / 86400), "day");
}


/** duration: seconds in words, at most two units: "3 hours", "1 day 6 hours", "45 minutes". */
export function duration(seconds) {
  seconds = Math.max(0, Math.round(seconds || 0));
  const d = Math.floor(seconds / 86400);
  const hr = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const parts = [];
  if (d) parts.push(tn("unit.days", d));
  if (hr) parts.push(tn("unit.hours", hr));
  if (m && !d) parts.push(tn("unit.minutes", m));
  if (!parts.length) return tn(seconds < 60 && seconds > 0 ? "unit.seconds" : "unit.minutes", seconds < 60 ? seconds : 0);
  return parts.slice(0, 2).join(" ");
}

/** shortDuration: "2 h 05 min", "12 min", "3 d 4 h". */
export function shortDuration(seconds) {
  seconds = Math.max(0, Math.round(seconds || 0));
  const d = Math.floor(seconds / 86400);
  const hr = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) return t("unit.d_h", { d, h: hr });
  if (hr) return t("unit.h_min", { h: hr, min: String(m).padStart(2, "0") });
  return t("unit.min", { min: m });
}

/** timeLeft: until iso, short, or "ended". */
export function timeLeft(iso, now = Date.now()) {
  const d = parse(iso);
  if (!d) return "";
  const s = (d.getTime() - now) / 1000;
  return s <= 0 ? t("format.ended") : shortDuration(s);
}

/** bytes: "1.2 MB". */
export function bytes(n) {
  n = Number(n) || 0;
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  const digits = i === 0 ? 0 : n < 10 ? 1 : 0;
  const shown = cached(Intl.NumberFormat, locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${shown.format(n)} ${units[i]}`;
}

/** unitsOf splits seconds into the largest whole unit: {value, unit}. */
export function unitsOf(seconds, units = ["days", "hours", "minutes"]) {
  const size = { days: 86400, hours: 3600, minutes: 60 };
  for (const u of units) {
    if (seconds && seconds % size[u] === 0) return { value: seconds / size[u], unit: u };
  }
  return { value: Math.round(seconds / 60), unit: "minutes" };
}

/** secondsOf is the reverse of unitsOf. */
export function secondsOf(value, unit) {
  const size = { days: 86400, hours: 3600, minutes: 60 };
  return Math.round(Number(value) * size[unit]);
}

/**
 * fractionDigits is how many decimals currency's amounts have (2 for EUR,
 * 0 for JPY); 2 for a code Intl does not know the form of.
 */
export function fractionDigits(currency) {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** money: a price in minor units as "€8.00" in locale lang (the page's when undefined); "Free" for 0. */
export function money(minor, currency, lang) {
  if (!minor) return lang ? tIn(lang, "format.free") : t("format.free");
  return amount(minor, currency, { lang });
}

/**
 * amount: minor units of currency as "€8.00" ("€0.00" for 0) in locale lang
 * (the page's when undefined); signed: "+€9.00" and "−€2.00".
 */
export function amount(minor, currency, { lang, signed } = {}) {
  minor = Number(minor) || 0;
  if (!currency) return String(minor);
  const major = minor / 10 ** fractionDigits(currency);
  try {
    return cached(Intl.NumberFormat, lang ? intlTag(lang) : locale(),
      { style: "currency", currency, signDisplay: signed ? "exceptZero" : "auto" }).format(major);
  } catch {
    return `${major} ${currency}`;
  }
}

/**
 * parseAmount reads an amount typed in currency's main unit ("8.00") as
 * minor units: {minor}, or {error} in words ("EUR amounts have at most 2
 * decimal places"; prices: for prices) when it has more decimals than the
 * currency; "" is 0.
 */
export function parseAmount(text, currency, { prices } = {}) {
  const digits = fractionDigits(currency || "EUR");
  const value = text === "" ? 0 : Number(text) * 10 ** digits;
  const minor = Math.round(value);
  if (!Number.isFinite(value) || value < 0) return { error: t("format.amount_example") };
  if (Math.abs(value - minor) > 1e-6) {
    const cur = currency || t("format.this_currency");
    if (!digits) return { error: t(prices ? "format.prices_no_decimals" : "format.amounts_no_decimals", { currency: cur }) };
    return { error: tn(prices ? "format.prices_decimals" : "format.amounts_decimals", digits, { currency: cur }) };
  }
  return { minor };
}

/** majorUnits shows minor units as the number a person types: 5000 EUR → "50.00"; "" for 0. */
export function majorUnits(minor, currency) {
  const digits = fractionDigits(currency || "EUR");
  return minor ? (minor / 10 ** digits).toFixed(digits) : "";
}

const timeFmt = () => cached(Intl.DateTimeFormat, locale(), { timeStyle: "short" });

/** clock: "14:02" for a time today, else the date and time. */
export function clock(iso, now = new Date()) {
  const d = parse(iso);
  if (!d) return "";
  return d.toDateString() === now.toDateString() ? timeFmt().format(d) : dateTimeFmt().format(d);
}

const unitFmt = (lang, unit, n) =>
  cached(Intl.NumberFormat, lang ? intlTag(lang) : locale(), { style: "unit", unit, maximumFractionDigits: 2 }).format(n);

const unlimited = (lang) => (lang ? tIn(lang, "format.unlimited") : t("format.unlimited"));

/** dataSize: MB of 1,000,000 bytes as "500 MB" or "2 GB" (in locale lang, else the page's); "Unlimited" for null. */
export function dataSize(mb, lang) {
  if (mb === null || mb === undefined) return unlimited(lang);
  return mb >= 1000 ? unitFmt(lang, "gigabyte", mb / 1000) : unitFmt(lang, "megabyte", mb);
}

/** speed: kbit/s as "10 Mb/s" or "512 kb/s" (in locale lang, else the page's); "Unlimited" for null. */
export function speed(kbps, lang) {
  if (kbps === null || kbps === undefined) return unlimited(lang);
  return kbps >= 1000 ? unitFmt(lang, "megabit-per-second", kbps / 1000) : unitFmt(lang, "kilobit-per-second", kbps);
}

const PERIOD_FORMATS = {
  day: [{ month: "short", day: "numeric" }, { weekday: "short", day: "numeric", month: "short", year: "numeric" }],
  week: [{ month: "short", day: "numeric" }, { day: "numeric", month: "short", year: "numeric" }],
  month: [{ month: "short" }, { month: "long", year: "numeric" }],
};

/**
 * periodName words a report's period (2026-03-04, the Monday 2026-03-02
 * of a week, 2026-03, or the hour 09) for groupBy (day, week, month,
 * hour_of_day): "Wed, 4 Mar 2026", "Week of 2 Mar 2026", "March 2026",
 * "09:00–10:00"; short: "4 Mar", "2 Mar", "Mar", "09".
 */
export function periodName(period, groupBy, short) {
  if (groupBy === "hour_of_day") {
    const next = String((Number(period) + 1) % 24).padStart(2, "0");
    return short ? period : `${period}:00–${next}:00`;
  }
  const [y, m, d] = period.split("-").map(Number);
  const formats = PERIOD_FORMATS[groupBy];
  if (!formats || !y || !m) return period;
  const text = new Intl.DateTimeFormat(locale(), { ...formats[short ? 0 : 1], timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d || 1)));
  return groupBy === "week" && !short ? t("format.week_of", { date: text }) : text;
}

/** language: a language code in words, in the page's language: "en" → "English"; the code when unknown. */
export function language(code) {
  try {
    return new Intl.DisplayNames(locale(), { type: "language" }).of(code) || code;
  } catch {
    return code || "";
  }
}

/** lastError is a site status's last error in the page's language when gatehouse wrote it, else as the router said it. */
export const lastError = (status) => serverText(status.last_error_text, status.last_error || "");
