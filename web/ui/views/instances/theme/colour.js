// colour.js: the arithmetic of the theme editor's colours: hex notation,
// mixing as the portal's color-mix() does, and WCAG contrast ratios.

/** hex6 turns #abc or #AABBCC into #aabbcc; "" when it is not a hex colour. */
export function hex6(v) {
  v = (v || "").trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return "#" + [...v.slice(1)].map((c) => c + c).join("");
  return "";
}

const channels = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

function luminance(hex) {
  const c = channels(hex).map((x) => x / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/** mix is a + (b - a) * t per channel, as the portal's color-mix() draws the code field. */
export function mix(a, b, t) {
  if (!a || !b) return "";
  const [x, y] = [channels(a), channels(b)];
  return "#" + x.map((v, i) => Math.round(v * (1 - t) + y[i] * t).toString(16).padStart(2, "0")).join("");
}

/** contrast is the WCAG contrast ratio of two colours (21 when one is missing). */
export function contrast(a, b) {
  if (!a || !b) return 21;
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}
