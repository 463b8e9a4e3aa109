/*
 * The spectators' page (phone first): the pair on the ice live, full standings, every pair's
 * times, the pairs still to skate. Small on purpose: no framework, one socket, plain DOM.
 */
import { gettext, interpolate } from "./i18n.js";
import { MAX_DELAY_S, clampDelay, follow, rememberDelay, requestedDelay } from "./live.js";
import { raceCharts } from "./gaps-view.js";
import { chip, pairName, renderNow, renderStandings } from "./now.js";
import { renderMassStartSpectator } from "./spectator_mass_start.js";
import {
  LANES, everyTenth, fill, h, invented, pairByNumber, raceStateText, showStatus, statusBadges, timeCell, updateClocks,
} from "./show.js";

const root = document.getElementById("spectator");
const raceId = Number(root.dataset.race);
let live = null;

const charted = new Set(); // "pair-lane" of skaters tapped in the standings, drawn beside the pair on the ice

/* The gap charts (gaps-view.js), with the skaters tapped in the standings. */
function renderGaps(state) {
  fill(document.getElementById("gaps"), raceCharts(state, charted));
  for (const row of document.querySelectorAll("#standings tr")) {
    row.classList.toggle("charted", charted.has(`${row.dataset.pair}-${row.dataset.lane}`));
  }
}

function toggleCharted(event) {
  const row = event.target.closest("tr[data-pair]");
  if (!row) return;
  const key = `${row.dataset.pair}-${row.dataset.lane}`;
  if (!charted.delete(key)) charted.add(key);
  if (live.shown) renderGaps(live.shown);
}

function started(pair) {
  return pair.started_at !== null || LANES.some((lane) => pair[lane] && pair[lane].passings.length);
}

/* One pair's times: a line with the skater, then her time at every measuring point below it. */
function pairBlock(race, pair) {
  const n = race.points.length;
  const title = h("tr", "", h("th", "pair-no", `${pairName(race)} ${pair.number}`));
  title.firstChild.colSpan = n;
  const points = h("tr", "points", race.points.map((d) => h("th", "", `${d} m`)));
  const rows = LANES.filter((lane) => pair[lane]).flatMap((lane) => {
    const start = pair[lane];
    const at = new Map(start.passings.map((p) => [p.distance, p]));
    const who = h("tr", "who", h("th", "", [
      chip(lane, race.kind), " ", start.name, invented(start.invented), " ", h("span", "nation", start.nation), " ", ...statusBadges(start),
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
        const names = LANES.filter((lane) => p[lane]).map((lane) => [chip(lane, race.kind), " ", p[lane].name, invented(p[lane].invented), " ", h("span", "nation", p[lane].nation)]);
        const item = h("li", "", [h("span", "pair-no", `${pairName(race)} ${p.number}`), ...names.flatMap((n) => [h("span", "skater", n)])]);
        item.dataset.pair = p.number;
        return item;
      }) : [h("li", "none", race.kind === "team_pursuit" ? gettext("Every heat has started.") : gettext("Every pair has started."))],
  );
}

function render(state) {
  const { race } = state;
  const stateEl = document.getElementById("state");
  stateEl.textContent = race.state === "live" ? `● ${raceStateText(race.state)}` : raceStateText(race.state);
  stateEl.dataset.state = race.state;
  document.getElementById("demo").hidden = !race.demo;
  if (race.kind === "mass_start") {
    renderMassStartSpectator(state);
    renderGaps(state);
    return;
  }
  renderNow(state);
  renderStandings(state);
  renderGaps(state);
  renderPairs(state);
  tick();
}

function tick() {
  if (live && live.shown && live.shown.race.kind !== "mass_start") updateClocks(root, live.shown, live.now());
}

/*
 * The TV delay: a viewer of a stream 20-60 s behind sets it once (or taps "sync" when she sees a
 * start on TV) and everything on the page, clocks included, runs that much late: no spoilers.
 */
function setDelay(seconds) {
  const value = clampDelay(seconds);
  live.setDelay(value);
  rememberDelay(value);
  document.getElementById("delay").value = value;
  const note = document.getElementById("delay-note");
  note.hidden = value === 0;
  note.textContent = interpolate(gettext("TV delay: %(seconds)s s behind live"), { seconds: value }, true);
}

/* The start a viewer syncs on: the pair on the ice, or a mass start's one start. */
function syncToStream() {
  const { state } = live;
  const pair = state && state.pairs.find((p) => p.number === state.race.current_pair);
  const behind = pair && pair.started_at ? Math.round((live.clock.now() - pair.started_at) / 1000) : null;
  const hint = document.getElementById("delay-hint");
  if (behind === null || behind < 0 || behind > MAX_DELAY_S) {
    hint.textContent = gettext("Tap the moment you see a pair start on TV, after the start has happened here.");
    return;
  }
  hint.textContent = interpolate(gettext("Synced: %(seconds)s s behind live."), { seconds: behind }, true);
  setDelay(behind);
}

live = follow(raceId, {
  onState: render,
  onStatus: (s) => showStatus(document.getElementById("conn"), s),
  delaySeconds: requestedDelay({ remember: true }),
});
document.getElementById("delay").max = MAX_DELAY_S;
document.getElementById("delay").addEventListener("change", (e) => setDelay(e.target.value));
document.getElementById("sync").addEventListener("click", syncToStream);
document.getElementById("standings").addEventListener("click", toggleCharted);
setDelay(live.delayMs / 1000);
everyTenth(tick);
