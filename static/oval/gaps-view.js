/*
 * Which gap charts a race shows, for the spectator page and the announcer's view alike: the pair
 * on the ice (and any skater the viewer picked) against the leader; a team pursuit adds its heat's
 * head to head, lap by lap; a mass start charts the front of the running order against the first
 * crossing of each lap. The numbers are the snapshot's; gapchart.js draws them.
 */
import { crossingDots, gapChart, passingDots, versusDots } from "./gapchart.js";
import { LANES, h, pairByNumber } from "./show.js";

const MASS_CHARTED = 5; // the front of a mass start's running order: more is a tangle on a phone

function massChart(state) {
  const skaters = new Map(state.skaters.map((s) => [s.bib, s]));
  const laps = Array.from({ length: state.race.laps }, (_, i) => i + 1);
  const series = state.running_order.slice(0, MASS_CHARTED).map((bib) => skaters.get(bib)).map((s) => ({
    key: String(s.bib), label: `${s.bib}`, dots: crossingDots(s.crossings),
  }));
  return gapChart(laps, series, {
    title: "Gap to the first skater across the line at each lap", unit: "", ticks: [1, ...state.sprint_laps],
    ahead: null, behind: "behind the front",
  });
}

function headToHead(race, pair) {
  const lanes = LANES.filter((lane) => pair[lane]);
  const teams = lanes.map((lane) => ({ key: `${pair.number}-${lane}`, label: pair[lane].nation, dots: versusDots(pair[lane].passings) }));
  return h("figure", "gap-figure versus-chart", [
    h("figcaption", "", `Heat ${pair.number}: ${lanes.map((lane) => pair[lane].name).join(" vs ")}, each lap`),
    gapChart(race.points, teams, { title: "Difference to the other team of the heat at each lap" }),
  ]);
}

/* The chart elements for `state`; `extra`: "pair-lane" keys the viewer added to the leader chart. */
export function raceCharts(state, extra = new Set()) {
  const { race } = state;
  if (race.kind === "mass_start") return [massChart(state)];
  const pair = pairByNumber(state, race.current_pair);
  const keys = new Set(pair ? LANES.filter((lane) => pair[lane]).map((lane) => `${pair.number}-${lane}`) : []);
  extra.forEach((key) => keys.add(key));
  const series = [...keys].map((key) => {
    const [number, lane] = key.split("-");
    const start = (pairByNumber(state, Number(number)) || {})[lane];
    return start && { key, label: start.name.split(" ").pop(), dots: passingDots(start.passings) };
  }).filter(Boolean);
  const leader = gapChart(race.points, series);
  if (race.kind !== "team_pursuit" || !pair) return [leader];
  return [headToHead(race, pair), h("figure", "gap-figure", [h("figcaption", "", "Gap to the leader"), leader])];
}
