/*
 * The spectators' page of a mass start: laps to go and the running order now, the points table,
 * and every sprint's scorers. What it shows the server computed (timing/rules/mass_start.py).
 * The embeddable widget shows the same, without the sprints (a page without #pairs).
 */
import { fill, h, invented, minus, statusBadges } from "./show.js";

function who(s) {
  return [h("span", "name", [s.name, invented(s.invented)]), " ", h("span", "nation", s.nation)];
}

export function renderMassStartSpectator(state) {
  const skaters = new Map(state.skaters.map((s) => [s.bib, s]));
  document.getElementById("now-title").textContent =
    `${state.laps_to_go} ${state.laps_to_go === 1 ? "lap" : "laps"} to go` +
    (state.next_sprint ? ` · next sprint: ${state.next_sprint === state.race.laps ? "the finish" : `lap ${state.next_sprint}`}` : "");
  const order = state.running_order.map((bib) => skaters.get(bib)).map((s, i) => {
    const leader = i === 0 && s.laps_done > 0;
    const behind = s.laps_down ? `−${s.laps_down} lap${s.laps_down > 1 ? "s" : ""}` : minus(s.behind);
    const row = h("tr", leader ? "leads" : "", [
      h("td", "rank", `${i + 1}.`), h("td", "bib", s.bib), h("td", "name", who(s)),
      h("td", "time", leader ? `lap ${s.laps_done}` : behind), h("td", "points", s.points ? `${s.points}` : ""),
    ]);
    row.dataset.bib = s.bib;
    return row;
  });
  const gap = state.lead_gap ? h("p", "gap", `Lead group of ${state.lead_group.length}, +${state.lead_gap} to the chase`) : null;
  fill(document.getElementById("now-lanes"), [gap, h("table", "standings running", h("tbody", "", order))]);
  fill(document.getElementById("standings"), state.standings.map((r) => {
    const s = skaters.get(r.bib);
    const row = h("tr", "", [
      h("td", "rank", r.rank ? `${r.rank}.` : ""), h("td", "name", [...who(r), " ", ...statusBadges(s)]),
      h("td", "time", r.status === "OK" ? `${r.points} pt` : r.status), h("td", "behind", r.time || ""),
    ]);
    row.dataset.bib = r.bib;
    return row;
  }));
  const sprints = document.getElementById("pairs");
  if (!sprints) return;
  fill(sprints, state.sprints.map((sp) => {
    const scorers = sp.order.map((bib, i) => [skaters.get(bib), sp.points[i], sp.places[i]]).filter(([, pts]) => pts > 0);
    const el = h("div", "sprint", [
      h("h3", "", sp.final ? "Finish" : `Lap ${sp.lap}`),
      h("ol", "", scorers.map(([s, pts, place]) => h("li", "", [`${place}. `, ...who(s), ` +${pts}`]))),
    ]);
    el.dataset.lap = sp.lap;
    return el;
  }));
}
