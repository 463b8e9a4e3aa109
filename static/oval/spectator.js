/*
 * The spectators' page (phone first): the pair on the ice live, full standings, every pair's
 * times, the pairs still to skate. Small on purpose: no framework, one socket, plain DOM.
 */
import { follow } from "./live.js";
import {
  ARMBANDS, LANES, LANE_NAMES, diffText, everyTenth, fill, finishOf, h, invented, pairByNumber,
  recordBadge, showStatus, standingRow, statusBadges, timeCell, updateClocks,
} from "./show.js";

const root = document.getElementById("spectator");
const raceId = Number(root.dataset.race);
let live = null;

function chip(lane) {
  return h("span", `chip armband-${ARMBANDS[lane]}`, LANE_NAMES[lane]);
}

function nowLane(race, pair, lane) {
  const start = pair[lane];
  if (!start) return null;
  const rows = start.passings.map((p) => {
    const row = h("tr", "split", [
      h("th", "point", `${p.distance} m`),
      timeCell(p),
      h("td", "lap", p.lap || ""),
      h("td", "rank", p.rank ? `${p.rank}.` : ""),
      h("td", "diff", diffText(p) || ""),
    ]);
    row.dataset.point = p.distance;
    return row;
  });
  const finish = finishOf(start, race);
  const clock = h("span", "clock", "");
  clock.dataset.clock = lane;
  const card = h("div", `lane-card lane-${lane}`, [
    h("div", "lane-top", [
      chip(lane),
      h("span", "who", [
        h("span", "name", [start.name, invented(start.invented)]), " ", h("span", "nation", start.nation),
        ...statusBadges(start), finish ? recordBadge(finish.record) : null,
      ]),
      clock,
    ]),
    rows.length ? h("table", "splits", h("tbody", "", rows)) : null,
  ]);
  card.dataset.lane = lane;
  return card;
}

function renderNow(state) {
  const { race } = state;
  const pair = pairByNumber(state, race.current_pair);
  document.getElementById("now-title").textContent = pair
    ? `Pair ${pair.number}${race.state === "live" ? " · on the ice" : ""}`
    : "Now";
  fill(document.getElementById("now-lanes"), pair ? LANES.map((lane) => nowLane(race, pair, lane)) : []);
}

function renderStandings(state) {
  fill(
    document.getElementById("standings"),
    state.standings.map((s) => standingRow(s, {
      row: "tr", cell: "td", className: s.pair === state.race.current_pair ? "mine" : "",
      rank: s.rank ? `${s.rank}.` : "",
    })),
  );
}

function started(pair) {
  return pair.started_at !== null || LANES.some((lane) => pair[lane] && pair[lane].passings.length);
}

/* One pair's times: a line with the skater, then her time at every measuring point below it. */
function pairBlock(race, pair) {
  const n = race.points.length;
  const title = h("tr", "", h("th", "pair-no", `Pair ${pair.number}`));
  title.firstChild.colSpan = n;
  const points = h("tr", "points", race.points.map((d) => h("th", "", `${d} m`)));
  const rows = LANES.filter((lane) => pair[lane]).flatMap((lane) => {
    const start = pair[lane];
    const at = new Map(start.passings.map((p) => [p.distance, p]));
    const who = h("tr", "who", h("th", "", [
      chip(lane), " ", start.name, invented(start.invented), " ", h("span", "nation", start.nation), " ", ...statusBadges(start),
    ]));
    who.firstChild.colSpan = n;
    const times = h("tr", "times", race.points.map((d) => (at.has(d) ? timeCell(at.get(d)) : h("td", "time none", "–"))));
    who.dataset.lane = times.dataset.lane = lane;
    return [who, times];
  });
  const table = h("table", "pair", [h("thead", "", [title, points]), h("tbody", "", rows)]);
  table.dataset.pair = pair.number;
  return h("div", "scroll", table);
}

function renderPairs(state) {
  const { race } = state;
  fill(document.getElementById("pairs"), state.pairs.filter(started).map((p) => pairBlock(race, p)));
  const upcoming = state.pairs.filter((p) => !started(p));
  fill(
    document.getElementById("upcoming"),
    upcoming.length ? upcoming.map((p) => {
        const names = LANES.filter((lane) => p[lane]).map((lane) => [chip(lane), " ", p[lane].name, invented(p[lane].invented), " ", h("span", "nation", p[lane].nation)]);
        const item = h("li", "", [h("span", "pair-no", `Pair ${p.number}`), ...names.flatMap((n) => [h("span", "skater", n)])]);
        item.dataset.pair = p.number;
        return item;
      }) : [h("li", "none", "Every pair has started.")],
  );
}

function render(state) {
  const { race } = state;
  const stateEl = document.getElementById("state");
  stateEl.textContent = race.state === "live" ? "● live" : race.state;
  stateEl.dataset.state = race.state;
  document.getElementById("demo").hidden = !race.demo;
  renderNow(state);
  renderStandings(state);
  renderPairs(state);
  tick();
}

function tick() {
  if (live && live.state) updateClocks(root, live.state, live.clock.now());
}

live = follow(raceId, { onState: render, onStatus: (s) => showStatus(document.getElementById("conn"), s) });
everyTenth(tick);
