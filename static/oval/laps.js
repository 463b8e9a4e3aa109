/*
 * The lap counter of a long distance (3000 m and longer) and of a team pursuit: per lane (per
 * team) the laps to go (large), the last lap time and the laps so far. A mass start has one
 * counter for the leader (laps_mass.js). The server counts (timing/rules/points.py laps_to_go,
 * timing/rules/mass_start.py lap_counter); the page only waits: the number turns `lap_delay`
 * seconds (?lap_delay=, default 4 as WebLynx does) after the line was crossed, so it never
 * flips while the skater is under the board.
 */
import { gettext } from "./i18n.js";
import { follow } from "./live.js";
import { renderMassCounter, tickMassCounter } from "./laps_mass.js";
import {
  ARMBANDS, LANES, LANE_NAMES, STRAIGHTS, everyTenth, fill, h, invented, keepAwake, laneClock, pairByNumber, showStatus,
  statusBadges,
} from "./show.js";

const root = document.getElementById("laps");
const query = new URLSearchParams(location.search);
const delayed = Number(query.get("lap_delay"));
const DELAY_MS = (query.has("lap_delay") && Number.isFinite(delayed) ? Math.min(30, Math.max(0, delayed)) : 4) * 1000;

/* Whether a counter ({before, at_ms}) still shows its reading from before the last crossing. */
function waiting(pair, counter, now) {
  if (counter.before === null || !pair || pair.started_at === null || pair.started_at === undefined) return false;
  return now < pair.started_at + counter.at_ms + DELAY_MS;
}

function shownLaps(pair, start, now) {
  const laps = start.laps;
  if (!laps) return null;
  return waiting(pair, laps, now) ? laps.before : laps.to_go;
}

function renderLane(el, race, pair, lane) {
  const start = pair ? pair[lane] : null;
  const names = race.kind === "team_pursuit" ? STRAIGHTS : LANE_NAMES;
  const head = h("div", `armband armband-${ARMBANDS[lane]}`, [h("span", "lane-name", names[lane])]);
  if (!start) {
    fill(el, [head, h("p", "empty", gettext("no skater in this lane"))]);
    return;
  }
  const laps = start.passings.filter((p) => p.lap);
  const last = laps[laps.length - 1];
  const count = h("div", "to-go", [h("span", "digits", ""), h("span", "label", gettext("laps to go"))]);
  count.dataset.toGo = lane;
  const clock = h("div", "clock stopped", "");
  clock.dataset.clock = lane;
  fill(el, [
    head,
    h("div", "who", [h("span", "name", [start.name, invented(start.invented)]), h("span", "nation", start.nation), ...statusBadges(start)]),
    count,
    h("div", "lap-facts", [
      h("div", "last-lap", [h("small", "", gettext("last lap")), h("span", "lap-time", last ? last.lap : "–")]),
      h("div", "race-time", [h("small", "", gettext("race time")), clock]),
    ]),
    h("ol", "lap-list", laps.map((p, i) => h("li", "", [h("small", "", `${i + 1}`), p.lap]))),
  ]);
}

function render(state) {
  const { race } = state;
  if (race.kind === "mass_start") {
    document.getElementById("title").textContent = race.title;
    renderMassCounter(root.querySelector(".laps-lanes"), state);
    tick();
    return;
  }
  const pair = pairByNumber(state, race.current_pair);
  const unit = race.kind === "team_pursuit" ? "heat" : "pair";
  document.getElementById("title").textContent = `${race.title} · ${unit} ${race.current_pair}`;
  for (const lane of LANES) renderLane(document.getElementById(`laps-${lane}`), race, pair, lane);
  tick();
}

function tick() {
  const state = live && live.shown;
  if (!state) return;
  const now = live.now();
  if (state.race.kind === "mass_start") {
    const counter = state.lap_counter;
    tickMassCounter(root, state, waiting(state.pairs[0], counter, now) ? counter.before : counter, now);
    return;
  }
  const pair = pairByNumber(state, state.race.current_pair);
  if (!pair) return;
  for (const lane of LANES) {
    const start = pair[lane];
    const count = root.querySelector(`[data-to-go="${lane}"]`);
    if (!start || !count) continue;
    const laps = shownLaps(pair, start, now);
    const text = laps === null ? "" : laps === 0 ? "FINISH" : String(laps);
    const digits = count.firstChild;
    if (digits.textContent !== text) digits.textContent = text;
    count.classList.toggle("last", laps === 1);
    count.lastChild.textContent = laps === 1 ? gettext("last lap") : laps === 0 ? "" : gettext("laps to go");
    const clockEl = root.querySelector(`[data-clock="${lane}"]`);
    const clock = laneClock(state.race, pair, start, now);
    if (clockEl.textContent !== clock.text) clockEl.textContent = clock.text;
  }
}

const live = follow(Number(root.dataset.race), {
  onState: render,
  onStatus: (s) => showStatus(document.getElementById("conn"), s),
});
everyTenth(tick);
keepAwake();
