/*
 * The race board as a piece any screen can hold: the stadium board (/races/<id>/board/) and the
 * venue's screens (screen.js) draw a race with this one renderer.
 *
 * boardShell(root) builds the empty board inside `root`; renderBoard(root, state) draws a race
 * state from the live feed into it; tickBoard(root, state, now) moves its clocks. Between pairs
 * (the current pair has not started) the lanes show the next pair with PB and SB. A mass start
 * shows the mass-start board (board_mass_start.js) in place of the lanes.
 */
import { gettext } from "./i18n.js";
import { massClock, massSection, renderMassStart } from "./board_mass_start.js";
import {
  ARMBAND_NAMES, ARMBANDS, LANES, LANE_NAMES, STRAIGHTS, bests, fill, finishOf, h, invented, minus, pairByNumber,
  pendingSplitRow, recordBadge, splitRow, standingRow, statusBadges, updateClocks,
} from "./show.js";

/* A race's state as the boards show it, in capitals from across the rink. */
export function boardStateText(state) {
  return state === "live" ? gettext("● LIVE") : state === "final" ? gettext("FINAL") : gettext("SCHEDULED");
}

const SPLITS_SHOWN = 4; // a 10000 m has 25 points; the board shows the latest ones
const STANDINGS_SHOWN = 10;

function part(root, name) {
  return root.querySelector(`[data-part="${name}"]`);
}

/* The board's frame. Ids stay those of the stadium board: one board per page. */
export function boardShell(root) {
  const el = (tag, cls, name, id) => {
    const e = h(tag, cls);
    e.dataset.part = name;
    if (id) e.id = id;
    return e;
  };
  const conn = el("span", "conn", "conn", "conn");
  conn.dataset.status = "connecting";
  conn.textContent = gettext("connecting…");
  // The page may carry the demo mark already (it says so even before this module runs).
  let demo = part(root, "demo");
  if (!demo) {
    demo = el("p", "demo", "demo", "demo");
    demo.hidden = true;
    demo.textContent = gettext("DEMO DATA: times marked * are invented");
  }
  // Where results-view.js puts the result list of a closed race, in place of the pairs.
  const resultsSection = el("section", "results-view", "results", "results");
  resultsSection.hidden = true;
  root.dataset.view = "pairs";
  root.replaceChildren(
    h("header", "bar", [
      h("div", "event", [el("span", "competition", "competition"), el("span", "title", "title")]),
      el("div", "pairno", "pairno", "pairno"),
      h("div", "status", [conn, el("span", "state", "state", "state")]),
    ]),
    laneSection(),
    resultsSection,
    h("section", "table", [el("h2", "", "table-title"), el("ol", "standings", "standings", "standings")]),
    demo,
  );
}

function laneSection() {
  const section = h("section", "lanes", LANES.map((lane) => {
    const article = h("article", `lane lane-${lane}`);
    article.id = article.dataset.part = `lane-${lane}`;
    article.dataset.lane = lane;
    return article;
  }));
  section.dataset.part = "middle";
  return section;
}

/* The frame's middle for this kind of race: the two lanes, or the mass-start board. */
function frameFor(root, kind) {
  if (root.dataset.kind === kind) return;
  root.dataset.kind = kind;
  const mass = kind === "mass_start";
  if (part(root, "middle").classList.contains("mass") !== mass) {
    const middle = mass ? massSection() : laneSection();
    middle.dataset.part = "middle";
    part(root, "middle").replaceWith(middle);
  }
  part(root, "table-title").textContent = mass ? gettext("Points") : gettext("Standings");
}

/* A team pursuit adds the difference to the other team at the same lap, green when ahead. */
function versusCell(p) {
  if (!p || p.ahead === null || p.ahead === undefined) return h("td", "versus", "");
  return h("td", `versus ${p.ahead ? "leads" : "behind"}`, minus(p.versus));
}

/* The measuring points around the skater: those passed and the next one, at most SPLITS_SHOWN. */
export function laneSplits(race, start) {
  const at = new Map(start.passings.map((p) => [p.distance, p]));
  let reached = -1;
  race.points.forEach((d, i) => {
    if (at.has(d)) reached = i;
  });
  const end = Math.min(race.points.length, Math.max(reached + 2, SPLITS_SHOWN));
  const teams = race.kind === "team_pursuit";
  const rows = race.points.slice(Math.max(0, end - SPLITS_SHOWN), end).map((d) => {
    const extra = teams ? versusCell(at.get(d)) : null;
    return at.has(d) ? splitRow(at.get(d), extra) : pendingSplitRow(d, extra);
  });
  const head = h("tr", "head", [
    h("th", "", ""), h("th", "", gettext("time")), h("th", "", gettext("lap")), h("th", "", gettext("rank")),
    h("th", "", gettext("diff")), teams ? h("th", "", gettext("vs")) : null,
  ]);
  return h("table", "splits", [h("thead", "", head), h("tbody", "", rows)]);
}

export function resultBlock(race, start) {
  const finish = finishOf(start, race);
  if (!finish) return h("div", "result");
  return h("div", "result", [
    finish.rank ? h("span", "result-rank", [h("small", "", gettext("rank")), finish.rank]) : null,
    recordBadge(finish.record),
  ]);
}

/*
 * One lane of the pair on the ice: who (a team pursuit: the team, its straight and skaters), the
 * clock, the result or, before the start, PB and SB, and the splits. `showBests`: between pairs.
 */
export function renderLane(el, race, pair, lane, { showBests = false } = {}) {
  const start = pair ? pair[lane] : null;
  const teams = race.kind === "team_pursuit";
  const armband = h("div", `armband armband-${ARMBANDS[lane]}`, [
    h("span", "lane-name", teams ? STRAIGHTS[lane] : LANE_NAMES[lane]),
    h("span", "armband-name", teams ? gettext("start and finish") : ARMBAND_NAMES[lane]),
  ]);
  if (!start) {
    fill(el, [armband, h("p", "empty", gettext("no skater in this lane"))]);
    return;
  }
  const who = h("div", "who", [
    h("span", "name", [start.name, invented(start.invented)]),
    h("span", "nation", start.nation),
    ...statusBadges(start),
  ]);
  const members = teams && start.skaters ? h("div", "members", start.skaters.join(" · ")) : null;
  const clock = h("div", "clock", "");
  clock.dataset.clock = lane;
  const timing = h("div", "timing", [clock, showBests ? bests(start) : resultBlock(race, start)]);
  fill(el, [armband, who, members, timing, laneSplits(race, start)]);
}

export function boardStanding(s, mine) {
  return standingRow(s, {
    row: "li", cell: "span", className: mine ? "standing mine" : "standing", rank: s.rank ?? "",
    mark: mine ? h("span", "mine-mark", "▶") : null,
  });
}

/* The top places, plus the pair on the ice (or just finished) wherever it ranks. */
export function shortStandings(standings, current) {
  const mine = standings.filter((s) => s.pair === current);
  let top = standings.slice(0, STANDINGS_SHOWN);
  const extra = mine.filter((s) => !top.includes(s));
  top = standings.slice(0, STANDINGS_SHOWN - extra.length);
  return [...top, ...mine.filter((s) => !top.includes(s))];
}

export function renderBoard(root, state) {
  const { race } = state;
  frameFor(root, race.kind);
  if (race.kind === "mass_start") {
    renderMassBoard(root, state);
    return;
  }
  const pair = pairByNumber(state, race.current_pair);
  const waiting = !pair || pair.started_at === null || pair.started_at === undefined;
  root.classList.toggle("between-pairs", waiting);
  part(root, "competition").textContent = race.competition.name;
  part(root, "title").textContent = race.title;
  const unit = race.kind === "team_pursuit" ? gettext("Heat") : gettext("Pair");
  part(root, "pairno").textContent = `${unit} ${race.current_pair} / ${state.pairs.length}`;
  const stateEl = part(root, "state");
  const next = waiting && race.state !== "final";
  stateEl.textContent = next ? gettext("NEXT PAIR") : boardStateText(race.state);
  stateEl.dataset.state = next ? "next" : race.state;
  part(root, "demo").hidden = !race.demo;
  for (const lane of LANES) renderLane(part(root, `lane-${lane}`), race, pair, lane, { showBests: waiting });
  fill(
    part(root, "standings"),
    shortStandings(state.standings, race.current_pair).map((s) => boardStanding(s, s.pair === race.current_pair)),
  );
}

function renderMassBoard(root, state) {
  const { race } = state;
  root.classList.remove("between-pairs");
  part(root, "competition").textContent = race.competition.name;
  part(root, "title").textContent = race.title;
  part(root, "pairno").textContent = `Mass start · ${race.laps} laps`;
  const stateEl = part(root, "state");
  stateEl.textContent = race.state === "live" ? "● LIVE" : race.state === "final" ? "FINAL" : "SCHEDULED";
  stateEl.dataset.state = race.state;
  part(root, "demo").hidden = !race.demo;
  renderMassStart(state, root);
}

export function tickBoard(root, state, serverNow) {
  if (state.race.kind === "mass_start") {
    const el = root.querySelector("#mass-clock");
    const text = massClock(state, serverNow);
    if (el && el.textContent !== text) el.textContent = text;
    return;
  }
  updateClocks(root, state, serverNow);
}
