/*
 * The stadium board (1920×1080, unattended): the pair on the ice side by side, its running clocks,
 * every measuring point with lap, rank and difference, and a short standings list.
 */
import { follow } from "./live.js";
import {
  ARMBANDS, LANES, LANE_NAMES, diffText, everyTenth, fill, finishOf, h, invented, pairByNumber,
  recordBadge, showStatus, standingRow, statusBadges, timeCell, updateClocks,
} from "./show.js";

const root = document.getElementById("board");
const raceId = Number(root.dataset.race);
const SPLITS_SHOWN = 4; // a 10000 m has 25 points; the board shows the latest ones
const STANDINGS_SHOWN = 10;

let live = null;

function splitRow(p) {
  const row = h("tr", "split", [
    h("th", "point", `${p.distance} m`),
    timeCell(p),
    h("td", "lap", p.lap || ""),
    h("td", "rank", p.rank ?? ""),
    h("td", "diff", diffText(p) || ""),
  ]);
  row.dataset.point = p.distance;
  return row;
}

/* The measuring points around the skater: those passed and the next one, at most SPLITS_SHOWN. */
function laneSplits(race, start) {
  const at = new Map(start.passings.map((p) => [p.distance, p]));
  let reached = -1;
  race.points.forEach((d, i) => {
    if (at.has(d)) reached = i;
  });
  const end = Math.min(race.points.length, Math.max(reached + 2, SPLITS_SHOWN));
  const rows = race.points.slice(Math.max(0, end - SPLITS_SHOWN), end).map((d) => {
    if (at.has(d)) return splitRow(at.get(d));
    const row = h("tr", "split pending", [h("th", "point", `${d} m`), h("td", "time", ""), h("td", "lap", ""), h("td", "rank", ""), h("td", "diff", "")]);
    row.dataset.point = d;
    return row;
  });
  const head = h("tr", "head", [h("th", "", ""), h("th", "", "time"), h("th", "", "lap"), h("th", "", "rank"), h("th", "", "diff")]);
  return h("table", "splits", [h("thead", "", head), h("tbody", "", rows)]);
}

function resultBlock(race, start) {
  const finish = finishOf(start, race);
  if (!finish) return h("div", "result");
  return h("div", "result", [
    finish.rank ? h("span", "result-rank", [h("small", "", "rank"), finish.rank]) : null,
    recordBadge(finish.record),
  ]);
}

function renderLane(el, race, pair, lane) {
  const start = pair ? pair[lane] : null;
  const armband = h("div", `armband armband-${ARMBANDS[lane]}`, [
    h("span", "lane-name", LANE_NAMES[lane]),
    h("span", "armband-name", `${ARMBANDS[lane]} armband`),
  ]);
  if (!start) {
    fill(el, [armband, h("p", "empty", "no skater in this lane")]);
    return;
  }
  const who = h("div", "who", [
    h("span", "name", [start.name, invented(start.invented)]),
    h("span", "nation", start.nation),
    ...statusBadges(start),
  ]);
  const clock = h("div", "clock", "");
  clock.dataset.clock = lane;
  const timing = h("div", "timing", [clock, resultBlock(race, start)]);
  fill(el, [armband, who, timing, laneSplits(race, start)]);
}

function boardStanding(s, mine) {
  return standingRow(s, {
    row: "li", cell: "span", className: mine ? "standing mine" : "standing", rank: s.rank ?? "",
    mark: mine ? h("span", "mine-mark", "▶") : null,
  });
}

/* The top places, plus the pair on the ice (or just finished) wherever it ranks. */
function shortStandings(standings, current) {
  const mine = standings.filter((s) => s.pair === current);
  let top = standings.slice(0, STANDINGS_SHOWN);
  const extra = mine.filter((s) => !top.includes(s));
  top = standings.slice(0, STANDINGS_SHOWN - extra.length);
  return [...top, ...mine.filter((s) => !top.includes(s))];
}

function render(state) {
  const { race } = state;
  const pair = pairByNumber(state, race.current_pair);
  document.getElementById("pairno").textContent = `Pair ${race.current_pair} / ${state.pairs.length}`;
  const stateEl = document.getElementById("state");
  stateEl.textContent = race.state === "live" ? "● LIVE" : race.state === "final" ? "FINAL" : "SCHEDULED";
  stateEl.dataset.state = race.state;
  document.getElementById("demo").hidden = !race.demo;
  for (const lane of LANES) renderLane(document.getElementById(`lane-${lane}`), race, pair, lane);
  fill(
    document.getElementById("standings"),
    shortStandings(state.standings, race.current_pair).map((s) => boardStanding(s, s.pair === race.current_pair)),
  );
  tick();
}

function tick() {
  if (live && live.state) updateClocks(root, live.state, live.clock.now());
}

/* A stadium screen must not dim or sleep; the browser drops the lock whenever the tab hides. */
async function keepAwake() {
  if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  try {
    await navigator.wakeLock.request("screen");
  } catch (e) {
    /* not allowed here (no user gesture, battery saver): the board still works */
  }
}

live = follow(raceId, { onState: render, onStatus: (s) => showStatus(document.getElementById("conn"), s) });
everyTenth(tick);
keepAwake();
document.addEventListener("visibilitychange", keepAwake);
