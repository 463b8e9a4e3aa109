/*
 * The gap chart: each skater's difference to the leader at every measuring point, as a picture.
 *
 * Hand-drawn SVG, no library: a few dozen elements, drawn again on each update, so nothing is
 * downloaded at run time and the page stays within its CSP. The numbers are the server's (each
 * passing's diff_ms and leads); this only places them. Below the zero line is ahead of the
 * leader (green dots), above is behind (red dots); the colour is never alone: the axis says
 * which side is which.
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
 * disqualified skater's splits are not compared with anyone (null: not drawn). */
function gap(passing) {
  if (passing.rank === null || passing.rank === undefined) return null;
  return passing.diff_ms === null ? 0 : passing.diff_ms;
}

function seconds(ms) {
  const s = (Math.abs(ms) / 1000).toFixed(1);
  return ms === 0 ? "0" : `${ms < 0 ? "\u2212" : "+"}${s}`;
}

/*
 * series: [{key, label, passings}] (passings as in the snapshot); points: the race's measuring
 * points. Returns an <svg> with one <g class="series"> per skater and one circle per split.
 */
export function gapChart(points, series) {
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "gap-chart", role: "img" });
  const diffs = series.flatMap((s) => s.passings.map(gap).filter((ms) => ms !== null));
  const range = Math.max(MIN_RANGE_MS, ...diffs.map(Math.abs));
  const x = (point) => PAD.left + (points.indexOf(point) / Math.max(1, points.length - 1)) * (W - PAD.left - PAD.right);
  const y = (ms) => PAD.top + ((ms + range) / (2 * range)) * (H - PAD.top - PAD.bottom);
  chart.append(svg("title", {}, gettext("Difference to the leader at each measuring point")));

  for (const ms of [-range, 0, range]) {
    chart.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(ms), y2: y(ms), class: ms === 0 ? "zero" : "grid" }));
    chart.append(svg("text", { x: PAD.left - 6, y: y(ms) + 4, class: "axis", "text-anchor": "end" }, seconds(ms)));
  }
  chart.append(svg("text", { x: PAD.left + 2, y: PAD.top + 10, class: "axis side" }, gettext("ahead")));
  chart.append(svg("text", { x: PAD.left + 2, y: H - PAD.bottom - 4, class: "axis side" }, gettext("behind")));
  for (const point of points) {
    chart.append(svg("text", { x: x(point), y: H - 8, class: "axis", "text-anchor": "middle" }, `${point}`));
  }

  series.forEach((s, n) => {
    const shown = s.passings.filter((p) => gap(p) !== null && points.includes(p.distance));
    const group = svg("g", { class: `series series-${n}` });
    group.dataset.key = s.key;
    if (shown.length > 1) {
      group.append(svg("polyline", { points: shown.map((p) => `${x(p.distance)},${y(gap(p))}`).join(" ") }));
    }
    for (const p of shown) {
      const dot = svg("circle", { cx: x(p.distance), cy: y(gap(p)), r: 4.5, class: p.leads ? "leads" : "behind" });
      dot.append(svg("title", {}, `${s.label} ${p.distance} m: ${minus(p.diff) || "0.00"}`));
      dot.dataset.point = p.distance;
      group.append(dot);
    }
    const last = shown[shown.length - 1];
    if (last) group.append(svg("text", { x: x(last.distance) + 8, y: y(gap(last)) + 4, class: "label" }, s.label));
    chart.append(group);
  });
  return chart;
}
