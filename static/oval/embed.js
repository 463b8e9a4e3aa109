/*
 * The embeddable widget (/races/<id>/embed/): the pair on the ice and the standings, live, in a
 * club's or federation's page. The same pieces as the spectator page, nothing of its own: a
 * mass start shows laps to go, the running order with points and the points table.
 */
import { follow, requestedDelay } from "./live.js";
import { renderNow, renderStandings } from "./now.js";
import { renderMassStartSpectator } from "./spectator_mass_start.js";
import { everyTenth, raceStateText, showStatus, updateClocks } from "./show.js";

const root = document.getElementById("embed");
let live = null;

function render(state) {
  document.getElementById("state").textContent = state.race.state === "live"
    ? `● ${raceStateText(state.race.state)}` : raceStateText(state.race.state);
  document.getElementById("demo").hidden = !state.race.demo;
  if (state.race.kind === "mass_start") {
    renderMassStartSpectator(state);
    return;
  }
  renderNow(state);
  renderStandings(state);
  tick();
}

function tick() {
  if (live && live.shown && live.shown.race.kind !== "mass_start") updateClocks(root, live.shown, live.now());
}

live = follow(Number(root.dataset.race), { onState: render, onStatus: (s) => showStatus(document.getElementById("conn"), s), delaySeconds: requestedDelay() });
everyTenth(tick);
