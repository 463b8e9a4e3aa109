/*
 * The public schedule of a competition, live: the server renders the day (times on the venue's
 * clock, computed in Python); this module follows the competition's socket and moves the "on the
 * ice" mark, the races' states and times as officials change them. A race added, removed or moved
 * in the day changes the list itself: the page reloads to show the server's list.
 */
import { followCompetition } from "./live.js";
import { gettext } from "./i18n.js";
import { h, raceStateText, showStatus } from "./show.js";

const root = document.getElementById("schedule");
const competitionId = Number(root.dataset.competition);

function listed() {
  return [...root.querySelectorAll("li[data-race]")].map((li) => Number(li.dataset.race));
}

function render(state) {
  const ids = state.races.map((r) => r.id);
  if (ids.join() !== listed().join()) {
    window.location.reload();
    return;
  }
  for (const race of state.races) {
    const li = root.querySelector(`li[data-race="${race.id}"]`);
    const onIce = state.on_ice === race.id;
    li.classList.toggle("on-ice", onIce);
    const mark = li.querySelector(".race-on-ice");
    if (onIce && !mark) li.querySelector(".race-title").after(h("span", "race-on-ice", gettext("on the ice")));
    if (!onIce && mark) mark.remove();
    const stateEl = li.querySelector(".race-state");
    stateEl.className = `race-state state-${race.state}`;
    const word = raceStateText(race.state);
    stateEl.textContent = word.charAt(0).toUpperCase() + word.slice(1);
    const time = li.querySelector(".race-time");
    if (time.textContent.trim() !== (race.scheduled_local || "–")) window.location.reload();
  }
}

followCompetition(competitionId, {
  onState: render,
  onStatus: (s) => showStatus(document.getElementById("conn"), s),
});
