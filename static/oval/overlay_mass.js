/*
 * The broadcast lower third of a mass start: laps to go and the next sprint, the race clock, the
 * top of the running order (the leader in green, the lead group marked, each one's gap), the
 * points of a sprint while the leader skates the lap after it, and at the end the podium with
 * points. Every number is the server's (timing/rules/mass_start.py); overlay.js decides when
 * the box is up.
 */
import { massClock } from "./board_mass_start.js";
import { fill, h, invented, minus } from "./show.js";

const ORDER_SHOWN = 5;
const PODIUM = 3;

function who(s) {
  return h("span", "who", [h("span", "bib", s.bib), h("span", "name", [s.name, invented(s.invented)]), h("span", "nation", s.nation)]);
}

function title(state) {
  const { race } = state;
  const lapsText = state.laps_to_go === 0 ? "Finish" : state.lap_counter.last ? "Last lap"
    : `${state.laps_to_go} laps to go`;
  const sprint = state.next_sprint && state.next_sprint !== race.laps && state.laps_to_go > 0
    ? h("span", `next-sprint${state.lap_counter.sprint ? " now" : ""}`, state.lap_counter.sprint ? "Sprint lap" : `Sprint at lap ${state.next_sprint}`)
    : null;
  const clock = h("span", "clock mass-clock", "");
  return h("header", "title", [h("span", "race", race.title), h("span", "pairno laps-to-go", lapsText), sprint, clock]);
}

function orderRows(state, skaters) {
  return state.running_order.slice(0, ORDER_SHOWN).map((bib, i) => {
    const s = skaters.get(bib);
    const leader = i === 0 && s.laps_done > 0;
    const gap = s.laps_down ? `−${s.laps_down} lap${s.laps_down > 1 ? "s" : ""}` : minus(s.behind);
    const row = h("div", `row runner${leader ? " leads" : ""}${s.in_lead_group ? " group" : ""}`, [
      h("span", "pos", i + 1), who(s), h("span", "gap", leader ? `lap ${s.laps_done}` : gap),
      h("span", "points", s.points ? `${s.points} pt` : ""),
    ]);
    row.dataset.bib = bib;
    return row;
  });
}

/* The sprint the leader has just completed, while she skates the next lap; else null. */
function justSprinted(state) {
  const sprint = state.sprints[state.sprints.length - 1];
  return sprint && !sprint.final && sprint.lap === state.leader_laps ? sprint : null;
}

function sprintRows(sprint, skaters) {
  return sprint.order.map((bib, i) => [bib, sprint.points[i], sprint.places[i]]).filter(([, pts]) => pts > 0)
    .map(([bib, pts, place]) => {
      const row = h("div", "row scorer", [h("span", "pos", place), who(skaters.get(bib)), h("span", "points", `+${pts}`)]);
      row.dataset.bib = bib;
      return row;
    });
}

function podiumRows(state, skaters) {
  return state.standings.filter((r) => r.rank !== null && r.rank <= PODIUM).map((r) => {
    const row = h("div", `row podium podium-${r.rank}`, [
      h("span", "pos", r.rank), who(skaters.get(r.bib)), h("span", "gap", r.time || ""), h("span", "points", `${r.points} pt`),
    ]);
    row.dataset.bib = r.bib;
    return row;
  });
}

export function renderMassOverlay(box, state) {
  const skaters = new Map(state.skaters.map((s) => [s.bib, s]));
  const sprint = justSprinted(state);
  let part;
  if (state.laps_to_go === 0) {
    part = [h("div", "sub", "Result · points"), ...podiumRows(state, skaters)];
    box.dataset.part = "podium";
  } else if (sprint) {
    part = [h("div", "sub", `Sprint lap ${sprint.lap} · points`), ...sprintRows(sprint, skaters)];
    box.dataset.part = "sprint";
  } else {
    const group = state.lead_group.length && state.lead_gap
      ? h("div", "sub", `Lead group of ${state.lead_group.length} · +${state.lead_gap} to the chase`) : null;
    part = [group, ...orderRows(state, skaters)];
    box.dataset.part = "order";
  }
  fill(box, [title(state), ...part]);
}

/* Up from the start signal while anyone races, and `holdMs` after the last crossing once done. */
export function massVisible(state, now, holdMs) {
  const start = state.pairs[0];
  if (!start || start.started_at === null || start.started_at === undefined) return false;
  if (state.laps_to_go > 0 && state.race.state === "live") return true;
  const last = Math.max(0, ...state.skaters.map((s) => s.last_ms || 0));
  return now < start.started_at + last + holdMs;
}

export function tickMassOverlay(box, state, now) {
  const el = box.querySelector(".mass-clock");
  if (!el) return;
  const text = massClock(state, now);
  if (el.textContent !== text) el.textContent = text;
}
