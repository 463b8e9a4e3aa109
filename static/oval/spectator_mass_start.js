/*
 * The spectators' page of a mass start: laps to go and the running order now, the points table,
 * and every sprint's scorers. What it shows the server computed (timing/rules/mass_start.py).
 * The embeddable widget shows the same, without the sprints (a page without #pairs).
 */
import { gettext, interpolate, ngettext } from "./i18n.js";
import { fill, h, invented, minus, statusBadges } from "./show.js";

function who(s) {
  return [h("span", "name", [s.name, invented(s.invented)]), " ", h("span", "nation", s.nation)];
}

export function renderMassStartSpectator(state) {
  const skaters = new Map(state.skaters.map((s) => [s.bib, s]));
  document.getElementById("now-title").textContent =
    interpolate(ngettext("%(n)s lap to go", "%(n)s laps to go", state.laps_to_go), { n: state.laps_to_go }, true) +
    (state.next_sprint ? ` · ${interpolate(gettext("next sprint: %(where)s"), {
      where: state.next_sprint === state.race.laps ? gettext("the finish") : interpolate(gettext("lap %(n)s"), { n: state.next_sprint }, true),
    }, true)}` : "");
  const order = state.running_order.map((bib) => skaters.get(bib)).map((s, i) => {
    const leader = i === 0 && s.laps_done > 0;
    const behind = s.laps_down
      ? `−${interpolate(ngettext("%(n)s lap", "%(n)s laps", s.laps_down), { n: s.laps_down }, true)}` : minus(s.behind);
    const row = h("tr", leader ? "leads" : "", [
      h("td", "rank", `${i + 1}.`), h("td", "bib", s.bib), h("td", "name", who(s)),
      h("td", "time", leader ? interpolate(gettext("lap %(n)s"), { n: s.laps_done }, true) : behind), h("td", "points", s.points ? `${s.points}` : ""),
    ]);
    row.dataset.bib = s.bib;
    return row;
  });
  const gap = state.lead_gap ? h("p", "gap", interpolate(gettext("Lead group of %(size)s, +%(gap)s to the chase"), { size: state.lead_group.length, gap: state.lead_gap }, true)) : null;
  fill(document.getElementById("now-lanes"), [gap, h("table", "standings running", h("tbody", "", order))]);
  fill(document.getElementById("standings"), state.standings.map((r) => {
    const s = skaters.get(r.bib);
    const row = h("tr", "", [
      h("td", "rank", r.rank ? `${r.rank}.` : ""), h("td", "name", [...who(r), " ", ...statusBadges(s)]),
      h("td", "time", r.status === "OK" ? interpolate(gettext("%(points)s pt"), { points: r.points }, true) : r.status), h("td", "behind", r.time || ""),
    ]);
    row.dataset.bib = r.bib;
    return row;
  }));
  const sprints = document.getElementById("pairs");
  if (!sprints) return;
  fill(sprints, state.sprints.map((sp) => {
    const scorers = sp.order.map((bib, i) => [skaters.get(bib), sp.points[i], sp.places[i]]).filter(([, pts]) => pts > 0);
    const el = h("div", "sprint", [
      h("h3", "", sp.final ? gettext("Finish") : interpolate(gettext("Lap %(n)s"), { n: sp.lap }, true)),
      h("ol", "", scorers.map(([s, pts, place]) => h("li", "", [`${place}. `, ...who(s), ` +${pts}`]))),
    ]);
    el.dataset.lap = sp.lap;
    return el;
  }));
}
