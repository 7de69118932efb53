// dom.js: building elements without innerHTML. Text always goes in as
// text nodes, so data from the API can never become markup.

const PROPS = new Set(["value", "checked", "disabled", "selected", "hidden", "required", "multiple", "readOnly",
  "indeterminate"]);

/**
 * h makes an element. props: class, text, on (event → handler), data
 * (dataset), any property in PROPS, anything else as an attribute (false or
 * null leaves it out). Children: nodes, strings, arrays, null (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") el.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : v;
      else if (k === "text") el.textContent = v;
      else if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === "data") Object.assign(el.dataset, v);
      else if (k === "style") throw new Error("inline styles are not allowed by the page's CSP");
      else if (PROPS.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

let uid = 0;
/** nextId returns a unique element id for label/input pairs. */
export const nextId = (prefix = "f") => `${prefix}-${++uid}`;

/** icon returns a small inline SVG from a path list (24×24 view box). */
export function icon(name) {
  const paths = ICONS[name] || [];
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  for (const d of paths) {
    const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  return svg;
}

const ICONS = {
  dashboard: ["M4 13h6V4H4zM14 20h6v-9h-6zM4 20h6v-4H4zM14 4v4h6V4z"],
  tag: ["M3 12V4h8l10 10-8 8z", "M7.5 8.5h.01"],
  ticket: ["M4 7a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v3a2 2 0 0 0 0 4v3a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-3a2 2 0 0 0 0-4z",
    "M14 5v14"],
  users: ["M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1", "M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
    "M21 19v-1a4 4 0 0 0-3-3.9", "M16 4.1a3 3 0 0 1 0 5.8"],
  router: ["M3 14h18v5H3z", "M7 16.5h.01M11 16.5h.01", "M8 10a6 6 0 0 1 8 0", "M5 7a10 10 0 0 1 14 0"],
  portal: ["M4 5h16v14H4z", "M4 9h16", "M8 13h8M8 16h5"],
  clock: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M12 7v5l3 2"],
  bell: ["M6 16V11a6 6 0 0 1 12 0v5l2 2H4z", "M10 20a2 2 0 0 0 4 0"],
  key: ["M15 9a4 4 0 1 1-3.5 6H9v2H7v2H4v-3l6.5-6.5A4 4 0 0 1 15 9z", "M16 8h.01"],
  shield: ["M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"],
  menu: ["M4 6h16M4 12h16M4 18h16"],
  logout: ["M15 4h4v16h-4", "M10 16l4-4-4-4", "M14 12H4"],
  print: ["M7 9V4h10v5", "M7 17H5a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-2", "M7 14h10v6H7z"],
  plus: ["M12 5v14M5 12h14"],
  refresh: ["M20 11a8 8 0 0 0-14.7-4.4L4 8", "M4 4v4h4", "M4 13a8 8 0 0 0 14.7 4.4L20 16", "M20 20v-4h-4"],
  copy: ["M9 9h11v11H9z", "M5 15H4V4h11v1"],
  download: ["M12 4v11", "M7 10l5 5 5-5", "M5 20h14"],
  back: ["M15 6l-6 6 6 6"],
  cash: ["M3 6h18v12H3z", "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z", "M6 9v.01M18 15v.01"],
  chart: ["M4 4v16h16", "M8 16v-4M12 16V8M16 16v-6"],
  person: ["M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z", "M4 21a8 8 0 0 1 16 0"],
  search: ["M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z", "M20 20l-4-4"],
};

/** fill replaces el's children; like h, it skips null/false and flattens arrays. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** add appends children to el, skipping null/false. */
export function add(el, ...children) {
  append(el, children);
  return el;
}
