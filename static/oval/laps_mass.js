/*
 * The lap counter of a mass start: one board for the leader, as at the line. Laps to go (large),
 * SPRINT while the leader skates a lap that ends in a sprint (4, 8, 12), the bell on the last
 * lap, who leads, the race clock and the sprints (the next one marked). The readings are the
 * server's (the snapshot's lap_counter, timing/rules/mass_start.py); laps.js decides when the
 * counter turns, this module draws it.
 */
import { massClock } from "./board_mass_start.js";
import { fill, h, invented } from "./show.js";

export function renderMassCounter(el, state) {
  const leader = state.skaters.find((s) => s.bib === state.running_order[0]);
  const leads = leader && leader.laps_done > 0;
  const sprints = state.sprint_laps.map((lap) => {
    const done = state.sprints.some((sp) => sp.lap === lap);
    const chip = h("li", `sprint-chip${done ? " done" : ""}${state.next_sprint === lap ? " next" : ""}`,
      lap === state.race.laps ? "finish" : `lap ${lap}`);
    chip.dataset.lap = lap;
    return chip;
  });
  const count = h("div", "to-go", [h("span", "digits", ""), h("span", "label", "laps to go")]);
  count.dataset.toGo = "leader";
  fill(el, [h("article", "laps-lane laps-mass", [
    h("div", "leader", leads
      ? [h("small", "", "leader"), h("span", "bib", leader.bib), h("span", "name", [leader.name, invented(leader.invented)]),
        h("span", "nation", leader.nation)]
      : [h("small", "", "mass start"), h("span", "name", `${state.race.laps} laps`)]),
    count,
    h("div", "sprint-flag", "SPRINT"),
    h("div", "lap-facts", [
      h("div", "race-time", [h("small", "", "race time"), h("div", "clock", "")]),
      h("div", "sprint-laps", [h("small", "", "sprints"), h("ol", "sprint-chips", sprints)]),
    ]),
  ])]);
  el.classList.add("laps-lanes-mass");
}

/* `reading`: {to_go, sprint, last} as the counter shows it now (laps.js waits after a crossing). */
export function tickMassCounter(root, state, reading, now) {
  const count = root.querySelector('[data-to-go="leader"]');
  if (!count) return;
  const text = reading.to_go === 0 ? "FINISH" : String(reading.to_go);
  const digits = count.firstChild;
  if (digits.textContent !== text) digits.textContent = text;
  const label = reading.last ? "last lap" : reading.to_go === 0 ? "" : reading.sprint ? "laps to go · sprint lap" : "laps to go";
  if (count.lastChild.textContent !== label) count.lastChild.textContent = label;
  count.classList.toggle("last", reading.last);
  const panel = root.querySelector(".laps-mass");
  panel.classList.toggle("sprint", reading.sprint);
  panel.classList.toggle("bell", reading.last);
  const clock = root.querySelector(".laps-mass .clock");
  const time = massClock(state, now);
  if (clock.textContent !== time) clock.textContent = time;
}
