/*
 * The stadium board (1920×1080, unattended): the pair on the ice side by side, its running clocks,
 * every measuring point with lap, rank and difference, and a short standings list.
 */
import { boardStanding, boardStateText, renderLane, shortStandings, tickBoard } from "./board-view.js";
import { renderMassStart } from "./board_mass_start.js";
import { gettext, interpolate } from "./i18n.js";
import { follow, requestedDelay } from "./live.js";
import { resultsView } from "./results-view.js";
import { LANES, everyTenth, fill, pairByNumber, showStatus } from "./show.js";

const root = document.getElementById("board");
const raceId = Number(root.dataset.race);

let live = null;
const results = resultsView(root, raceId); // a closed race shows its result list instead of the pairs

function render(state) {
  const { race } = state;
  const stateEl = document.getElementById("state");
  stateEl.textContent = boardStateText(race.state);
  stateEl.dataset.state = race.state;
  document.getElementById("demo").hidden = !race.demo;
  if (race.kind === "mass_start") {
    document.getElementById("pairno").textContent = interpolate(gettext("Mass start · %(laps)s laps"), { laps: race.laps }, true);
    renderMassStart(state);
    tick();
    return;
  }
  const pair = pairByNumber(state, race.current_pair);
  const unit = race.kind === "team_pursuit" ? gettext("Heat") : gettext("Pair");
  document.getElementById("pairno").textContent = `${unit} ${race.current_pair} / ${state.pairs.length}`;
  for (const lane of LANES) renderLane(document.getElementById(`lane-${lane}`), race, pair, lane);
  fill(
    document.getElementById("standings"),
    shortStandings(state.standings, race.current_pair).map((s) => boardStanding(s, s.pair === race.current_pair)),
  );
  results.update(state);
  tick();
}

function tick() {
  if (live && live.shown) tickBoard(root, live.shown, live.now());
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

live = follow(raceId, { onState: render, onStatus: (s) => showStatus(document.getElementById("conn"), s), delaySeconds: requestedDelay() });
everyTenth(tick);
keepAwake();
document.addEventListener("visibilitychange", keepAwake);
