/*
 * The embeddable widget (/races/<id>/embed/): the pair on the ice and the standings, live, in a
 * club's or federation's page. The same pieces as the spectator page, nothing of its own.
 */
import { follow, requestedDelay } from "./live.js";
import { renderNow, renderStandings } from "./now.js";
import { everyTenth, raceStateText, showStatus, updateClocks } from "./show.js";

const root = document.getElementById("embed");
let live = null;

function render(state) {
  document.getElementById("state").textContent = state.race.state === "live"
    ? `● ${raceStateText(state.race.state)}` : raceStateText(state.race.state);
  document.getElementById("demo").hidden = !state.race.demo;
  renderNow(state);
  renderStandings(state);
  tick();
}

function tick() {
  if (live && live.shown) updateClocks(root, live.shown, live.now());
}

live = follow(Number(root.dataset.race), { onState: render, onStatus: (s) => showStatus(document.getElementById("conn"), s), delaySeconds: requestedDelay() });
everyTenth(tick);
