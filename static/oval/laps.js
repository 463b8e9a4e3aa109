/*
 * The lap counter of a long distance (3000 m and longer): per lane the laps to go (large), the
 * last lap time and the laps so far. The server counts (timing/rules/points.py laps_to_go); the
 * page only waits: the number turns `lap_delay` seconds (?lap_delay=, default 4 as WebLynx does)
 * after the skater crossed the line, so it never flips while she is under the board.
 */
import { gettext } from "./i18n.js";
import { follow } from "./live.js";
import {
  ARMBANDS, LANES, LANE_NAMES, everyTenth, fill, h, invented, keepAwake, laneClock, pairByNumber, showStatus,
  statusBadges,
} from "./show.js";

const root = document.getElementById("laps");
const query = new URLSearchParams(location.search);
const delayed = Number(query.get("lap_delay"));
const DELAY_MS = (query.has("lap_delay") && Number.isFinite(delayed) ? Math.min(30, Math.max(0, delayed)) : 4) * 1000;

/* Laps to go as the counter shows them now: the count before the last passing until `delay` passed. */
function shownLaps(pair, start, now) {
  const laps = start.laps;
  if (!laps) return null;
  if (laps.before === null || pair.started_at === null) return laps.to_go;
  return now < pair.started_at + laps.at_ms + DELAY_MS ? laps.before : laps.to_go;
}

function renderLane(el, race, pair, lane) {
  const start = pair ? pair[lane] : null;
  const head = h("div", `armband armband-${ARMBANDS[lane]}`, [h("span", "lane-name", LANE_NAMES[lane])]);
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
  const pair = pairByNumber(state, race.current_pair);
  document.getElementById("title").textContent = `${race.title} · pair ${race.current_pair}`;
  for (const lane of LANES) renderLane(document.getElementById(`laps-${lane}`), race, pair, lane);
  tick();
}

function tick() {
  const state = live && live.shown;
  if (!state) return;
  const now = live.now();
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
