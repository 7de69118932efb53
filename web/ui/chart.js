// chart.js: small charts drawn as inline SVG: bars (stacked by series)
// and a line over time. No library and nothing from elsewhere; colours come
// from app.css classes (s0 … s7), as the page's CSP allows no inline
// styles. A chart draws itself at its box's width, and again when that
// changes, so its text stays the page's size on a phone and on a desk.

import { h } from "./dom.js";
import { t, locale } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";
const CHAR = 7; // px: a generous width of one character of the charts' 12 px text
const COLOURS = 8; // series classes s0 … s7 in app.css

/** svg makes an SVG element: attrs as attributes; children are nodes or text. */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

/**
 * niceScale: the top of an axis from 0 to above max, and its step, 1, 2 or
 * 5 × 10ⁿ, about ticks steps; whole keeps steps whole numbers (counts).
 */
export function niceScale(max, { ticks = 4, whole = false } = {}) {
  if (!(max > 0)) return { top: whole ? ticks : 1, step: whole ? 1 : 1 / ticks };
  const rough = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= rough * 0.999);
  if (whole) step = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

/**
 * frame draws the value axis of a chart width px wide: grid lines and
 * their labels (format), the axis title above them, the x-axis title
 * below. It returns the svg and the plot area: x0, x1, y0 (bottom), y(v).
 */
function frame(width, { max, format, whole, yTitle, xTitle, label }) {
  const { top, step } = niceScale(max, { whole });
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  const texts = ticks.map((v) => format(v));
  const left = Math.max(...texts.map((t) => t.length)) * CHAR + 10;
  const height = width < 480 ? 200 : 230;
  const plot = { x0: left, x1: width - 10, top: yTitle ? 26 : 10, y0: height - (xTitle ? 42 : 24) };
  plot.y = (v) => plot.y0 - (Math.max(0, v) / top) * (plot.y0 - plot.top);
  const el = svg("svg", { class: "chart-svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": label });
  const grid = ticks.map((v, i) => svg("g", { class: "tick" },
    svg("line", { class: i ? "grid" : "axis", x1: plot.x0, x2: plot.x1, y1: plot.y(v), y2: plot.y(v) }),
    svg("text", { x: plot.x0 - 6, y: plot.y(v), dy: "0.32em", "text-anchor": "end" }, texts[i])));
  el.append(...grid);
  if (yTitle) el.append(svg("text", { class: "axis-title", x: 0, y: 12 }, yTitle));
  if (xTitle) {
    el.append(svg("text", { class: "axis-title", x: (plot.x0 + plot.x1) / 2, y: height - 6, "text-anchor": "middle" },
      xTitle));
  }
  return { el, plot };
}

/**
 * xLabel places a label centred at x below the plot, kept between the
 * value axis's labels and the chart's right edge.
 */
function xLabel(plot, width, x, text) {
  const half = (text.length * CHAR) / 2;
  const at = Math.min(Math.max(x, plot.x0 + half - 6), width - half);
  return svg("text", { class: "x-tick", x: at, y: plot.y0 + 17, "text-anchor": "middle" }, text);
}

/** every: show one label in every n, so that labels of chars characters fit in space px each. */
const every = (count, space, chars) => Math.max(1, Math.ceil((count * (chars * CHAR + 10)) / Math.max(space, 1)));

/**
 * chartBox is the figure a chart lives in: draw(width) makes its svg,
 * again whenever the box's width changes; key is the legend (or null).
 */
function chartBox(draw, key) {
  const plot = h("div", { class: "chart-plot" });
  let drawn = 0;
  // The drawing waits for the next frame: drawn inside the observer, a
  // chart that changes the page's height (a scroll bar comes or goes)
  // makes the browser report "ResizeObserver loop completed" as an error.
  new ResizeObserver(() => requestAnimationFrame(() => {
    const width = Math.floor(plot.clientWidth);
    if (width > 0 && width !== drawn) {
      drawn = width;
      plot.replaceChildren(draw(width));
    }
  })).observe(plot);
  return h("figure", { class: "chart" }, plot, key);
}

/** legend lists the series' names with their colours. */
function legend(names) {
  return h("ul", { class: "chart-key" }, names.map((n, i) => h("li", { class: "s" + (i % COLOURS), text: n })));
}

/**
 * barChart draws a bar per category, its series stacked (negative values
 * count as 0). categories: [{label (under the axis), title (in tooltips)}];
 * series: [{name, values}] with a value per category; format(v) words a
 * value; whole for counts; label is what a screen reader says; yTitle and
 * xTitle name the axes; a legend shows with several series or with key.
 * When not every category's label fits, the first is labelled, or with
 * fromEnd the last (today, in a chart of days).
 */
export function barChart({ categories, series, format, whole, label, yTitle, xTitle, key, fromEnd }) {
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + Math.max(0, s.values[i] || 0), 0));
  const draw = (width) => {
    const { el, plot } = frame(width, { max: Math.max(0, ...totals), format, whole, yTitle, xTitle, label });
    const band = (plot.x1 - plot.x0) / categories.length;
    const bar = Math.max(2, Math.min(band * 0.72, 42));
    const chars = Math.max(...categories.map((c) => c.label.length));
    const n = every(categories.length, plot.x1 - plot.x0, chars);
    const labels = [];
    categories.forEach((c, i) => {
      const x = plot.x0 + band * i + (band - bar) / 2;
      let base = 0;
      series.forEach((s, k) => {
        const v = Math.max(0, s.values[i] || 0);
        if (!v) return;
        const tip = `${c.title}: ${series.length > 1 ? s.name + " " : ""}${format(v)}`
          + (series.length > 1 ? " " + t("chart.of_total", { total: format(totals[i]) }) : "");
        el.append(svg("rect", { class: "bar s" + (k % COLOURS), x, width: bar, y: plot.y(base + v),
          height: Math.max(0.5, plot.y(base) - plot.y(base + v)) }, svg("title", null, tip)));
        base += v;
      });
      if ((fromEnd ? categories.length - 1 - i : i) % n === 0) labels.push({ x: plot.x0 + band * (i + 0.5), text: c.label });
    });
    for (const l of fitLabels(labels, plot, width, fromEnd ? labels.length - 1 : 0)) el.append(xLabel(plot, width, l.x, l.text));
    return el;
  };
  const named = series.length > 1 || key;
  return chartBox(draw, named ? legend(series.map((s) => s.name)) : null);
}

/** hourFmt formats a time of day in the page's locale (made anew, as the language may change). */
const hourFmt = () => new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" });

/**
 * lineChart draws values over time from `from` to `to` (Dates) as a line
 * over a shaded area. points: [{at: Date, value}] in time order, one per
 * slot of slot ms: a slot without a point is a gap in the line. The time
 * axis is labelled at whole hours, as many as fit. format, whole, label,
 * yTitle and xTitle are as for barChart.
 */
export function lineChart({ points, from, to, slot, format, whole, label, yTitle, xTitle }) {
  const draw = (width) => {
    const { el, plot } = frame(width, { max: Math.max(0, ...points.map((p) => p.value)), format, whole, yTitle,
      xTitle, label });
    const span = to - from;
    const x = (t) => plot.x0 + ((t - from) / span) * (plot.x1 - plot.x0);
    const fmt = hourFmt();
    const ticks = hourTicks(from, to, plot.x1 - plot.x0, fmt);
    for (const t of ticks) el.append(svg("line", { class: "x-grid", x1: x(t), x2: x(t), y1: plot.top, y2: plot.y0 }));
    for (const l of fitLabels(ticks.map((t) => ({ x: x(t), text: fmt.format(t) })), plot, width)) {
      el.append(xLabel(plot, width, l.x, l.text));
    }
    for (const run of runs(points, slot)) {
      const line = run.map((p, i) => `${i ? "L" : "M"}${x(p.at).toFixed(1)},${plot.y(p.value).toFixed(1)}`).join("");
      if (run.length === 1) {
        el.append(svg("circle", { class: "dot", cx: x(run[0].at), cy: plot.y(run[0].value), r: 2.5 }));
        continue;
      }
      const first = x(run[0].at).toFixed(1);
      const last = x(run[run.length - 1].at).toFixed(1);
      el.append(svg("path", { class: "area", d: `${line}L${last},${plot.y0}L${first},${plot.y0}Z` }),
        svg("path", { class: "line", d: line }));
    }
    return el;
  };
  return chartBox(draw, null);
}

/**
 * fitLabels are the labels under the axis ({x, text}) that fit: one near an
 * edge moves inside the chart (xLabel), and where labels would touch, the
 * one kept is, in this order, the anchor (index into labels: the day a
 * chart of days counts from), one in its place rather than a moved one,
 * and the one further left.
 */
function fitLabels(labels, plot, width, anchor = -1) {
  const spans = labels.map((l, i) => {
    const half = (l.text.length * CHAR) / 2;
    const at = Math.min(Math.max(l.x, plot.x0 + half - 6), width - half);
    return { ...l, left: at - half, right: at + half, rank: i === anchor ? 0 : at === l.x ? 1 : 2, i };
  });
  const kept = [];
  for (const l of [...spans].sort((a, b) => a.rank - b.rank || a.i - b.i)) {
    if (kept.every((k) => l.left >= k.right + 4 || k.left >= l.right + 4)) kept.push(l);
  }
  return kept.sort((a, b) => a.i - b.i);
}

/** runs splits points where a slot is missing. */
function runs(points, slot) {
  const out = [];
  for (const p of points) {
    const run = out[out.length - 1];
    if (run && p.at - run[run.length - 1].at <= slot * 1.5) run.push(p);
    else out.push([p]);
  }
  return out;
}

/**
 * hourTicks are the whole hours from `from` to `to`, every 1, 2, 3, 4, 6,
 * 12 or 24 hours, as many as their labels (hourFmt) fit in space px.
 */
function hourTicks(from, to, space, fmt) {
  const hours = (to - from) / 3600000;
  const chars = fmt.format(new Date(2020, 0, 1, 23, 0)).length;
  const step = [1, 2, 3, 4, 6, 12, 24].find((s) => (space / hours) * s >= chars * CHAR + 14) || 24;
  const t = new Date(from);
  t.setMinutes(0, 0, 0);
  if (t < from) t.setHours(t.getHours() + 1);
  const out = [];
  for (; t <= to; t.setHours(t.getHours() + 1)) if (t.getHours() % step === 0) out.push(new Date(t));
  return out;
}
