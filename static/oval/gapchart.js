/*
 * The gap chart: each series' difference to a reference at every measuring point (or lap), as a
 * picture.
 *
 * Hand-drawn SVG, no library: a few dozen elements, drawn again on each update, so nothing is
 * downloaded at run time and the page stays within its CSP. The numbers are the server's; this
 * only places them. Three uses, one drawing:
 *  - a skater's gap to the leader at each point (each passing's diff_ms and leads: passingDots);
 *  - a team pursuit team's difference to the other team of its heat (versus_ms, ahead: versusDots);
 *  - a mass-start skater's gap to the front of the race at each lap (each crossing's behind_ms:
 *    crossingDots), which is never negative, so that chart is one-sided.
 * Below the zero line is ahead (green dots), above is behind (red dots); the colour is never
 * alone: the axis says which side is which.
 */
import { gettext } from "./i18n.js";
import { minus } from "./show.js";

const NS = "http://www.w3.org/2000/svg";
const W = 360;
const H = 200;
const PAD = { left: 44, right: 72, top: 14, bottom: 26 };
const MIN_RANGE_MS = 500; // never zoom in past ±0.50 s: small gaps must look small

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/* A split's gap to the leader; the first time at a point is the reference itself (0); a
 * disqualified skater's splits are not compared with anyone (not drawn). */
export function passingDots(passings) {
  return passings.filter((p) => p.rank !== null && p.rank !== undefined).map((p) => ({
    x: p.distance, ms: p.diff_ms === null ? 0 : p.diff_ms, leads: p.leads, text: minus(p.diff) || "0.00",
  }));
}

/* A team's difference to the other team at each lap, where both have a time (`ahead` not null). */
export function versusDots(passings) {
  return passings.filter((p) => p.ahead !== null && p.ahead !== undefined).map((p) => ({
    x: p.distance, ms: p.versus_ms, leads: p.ahead, text: minus(p.versus) || "0.00",
  }));
}

/* A mass-start skater's gap to the first crossing of each lap (null for a disqualified skater). */
export function crossingDots(crossings) {
  return crossings.filter((c) => c.behind_ms !== null && c.behind_ms !== undefined).map((c) => ({
    x: c.lap, ms: c.behind_ms, leads: c.behind_ms === 0, text: c.behind || "first",
  }));
}

function seconds(ms) {
  const s = (Math.abs(ms) / 1000).toFixed(1);
  return ms === 0 ? "0" : `${ms < 0 ? "\u2212" : "+"}${s}`;
}

/*
 * xs: the measuring points (or laps) in order; series: [{key, label, dots}] (dots from the
 * helpers above). Options: `title` (what the chart shows, for screen readers), `unit` after an x
 * in a dot's tooltip, `ticks` (the xs labelled on the axis; all by default), `ahead` and
 * `behind` (the words on the two sides; a one-sided chart has no `ahead`). Returns an <svg> with
 * one <g class="series"> per series and one circle per dot.
 */
export function gapChart(xs, series, {
  title = "Difference to the leader at each measuring point", unit = " m", ticks = xs, ahead = "ahead", behind = "behind",
} = {}) {
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "gap-chart", role: "img" });
  const all = series.flatMap((s) => s.dots.map((d) => d.ms));
  const range = Math.max(MIN_RANGE_MS, ...all.map(Math.abs));
  const low = ahead ? -range : 0;
  const x = (at) => PAD.left + (xs.indexOf(at) / Math.max(1, xs.length - 1)) * (W - PAD.left - PAD.right);
  const y = (ms) => PAD.top + ((ms - low) / (range - low)) * (H - PAD.top - PAD.bottom);
  chart.append(svg("title", {}, title));

  for (const ms of [low, ahead ? 0 : null, range].filter((v) => v !== null)) {
    chart.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(ms), y2: y(ms), class: ms === 0 ? "zero" : "grid" }));
    chart.append(svg("text", { x: PAD.left - 6, y: y(ms) + 4, class: "axis", "text-anchor": "end" }, seconds(ms)));
  }
  if (ahead) chart.append(svg("text", { x: PAD.left + 2, y: PAD.top + 10, class: "axis side" }, ahead));
  chart.append(svg("text", { x: PAD.left + 2, y: H - PAD.bottom - 4, class: "axis side" }, behind));
  for (const at of ticks) {
    chart.append(svg("text", { x: x(at), y: H - 8, class: "axis", "text-anchor": "middle" }, `${at}`));
  }

  series.forEach((s, n) => {
    const shown = s.dots.filter((d) => xs.includes(d.x));
    const group = svg("g", { class: `series series-${n}` });
    group.dataset.key = s.key;
    if (shown.length > 1) {
      group.append(svg("polyline", { points: shown.map((d) => `${x(d.x)},${y(d.ms)}`).join(" ") }));
    }
    for (const d of shown) {
      const dot = svg("circle", { cx: x(d.x), cy: y(d.ms), r: 4.5, class: d.leads ? "leads" : "behind" });
      dot.append(svg("title", {}, `${s.label} ${d.x}${unit}: ${d.text}`));
      dot.dataset.point = d.x;
      group.append(dot);
    }
    const last = shown[shown.length - 1];
    if (last) group.append(svg("text", { x: x(last.x) + 8, y: y(last.ms) + 4, class: "label" }, s.label));
    chart.append(group);
  });
  return chart;
}
