/*
 * The stadium board of a mass start: laps to go (large), the running order at the last crossing
 * with the leader in green, the lead group's gap, the sprints (the next one highlighted) and the
 * points so far. Everything shown was computed by the server (timing/rules/mass_start.py).
 *
 * One renderer for the stadium board (board.html holds the frame) and the venue's screens
 * (board-view.js puts massSection() in its frame): renderMassStart(state, root) fills the parts
 * found under `root` by their ids, which are the stadium board's (one board per page).
 */
import { gettext, interpolate, ngettext } from "./i18n.js";
import { fill, h, invented, minus, runningTime, statusBadges } from "./show.js";

const RUNNING_SHOWN = 12;

function bySkater(state) {
  return new Map(state.skaters.map((s) => [s.bib, s]));
}

function runningRow(s, position, leader) {
  const behind = s.laps_down
    ? `−${interpolate(ngettext("%(n)s lap", "%(n)s laps", s.laps_down), { n: s.laps_down }, true)}` : minus(s.behind);
  const row = h("li", `runner${leader ? " leads" : ""}${s.in_lead_group ? " group" : ""}`, [
    h("span", "pos", position),
    h("span", "bib", s.bib),
    h("span", "name", [s.name, invented(s.invented)]),
    h("span", "nation", s.nation),
    h("span", "behind", leader ? (s.laps_done ? interpolate(gettext("lap %(n)s"), { n: s.laps_done }, true) : "") : behind),
    h("span", "points", s.points ? interpolate(gettext("%(points)s pt"), { points: s.points }, true) : ""),
  ]);
  row.dataset.bib = s.bib;
  return row;
}

function sprintBlock(state, lap, skaters) {
  const sprint = state.sprints.find((x) => x.lap === lap);
  const next = state.next_sprint === lap;
  const title = lap === state.race.laps ? gettext("Finish") : interpolate(gettext("Lap %(n)s"), { n: lap }, true);
  const scorers = sprint
    ? sprint.order.map((bib, i) => [bib, sprint.points[i]]).filter(([, pts]) => pts > 0)
    : [];
  const el = h("li", `sprint${next ? " next" : ""}${sprint ? " done" : ""}`, [
    h("div", "sprint-head", [h("span", "sprint-title", title), next ? h("span", "sprint-next", gettext("next sprint")) : null]),
    h("ol", "scorers", scorers.map(([bib, pts]) => {
      const s = skaters.get(bib);
      return h("li", "scorer", [h("span", "bib", bib), h("span", "name", s ? s.name : ""), h("span", "pts", `+${pts}`)]);
    })),
  ]);
  el.dataset.lap = lap;
  return el;
}

/* A row of the points table: rank, name, nation, points (or the status), finish time. */
export function pointsRow(row) {
  return h("li", "standing", [
    h("span", "rank", row.rank ?? ""),
    h("span", "name", [row.name, invented(row.invented)]),
    h("span", "nation", row.nation),
    h("span", "time", row.status !== "OK" ? row.status : interpolate(gettext("%(points)s pt"), { points: row.points }, true)),
    h("span", "behind", row.time || ""),
    h("span", "record", ""),
  ]);
}

/* The mass start's half of a board frame, as board.html has it. */
export function massSection() {
  const el = (tag, cls, id, text) => {
    const e = h(tag, cls, text);
    if (id) e.id = id;
    return e;
  };
  return h("section", "mass", [
    h("div", "mass-side", [
      h("div", "togo", [el("span", "togo-n", "togo"), el("span", "togo-label", "togo-label", "laps to go")]),
      el("div", "mass-clock", "mass-clock"),
      el("div", "gap", "gap"),
      el("ol", "sprints", "sprints"),
    ]),
    h("div", "mass-order", [h("h2", "", "Running order"), el("ol", "running", "running")]),
  ]);
}

export function renderMassStart(state, root = document) {
  const $ = (id) => root.querySelector(`#${id}`);
  const skaters = bySkater(state);
  $("togo").textContent = state.laps_to_go;
  $("togo-label").textContent = ngettext("lap to go", "laps to go", state.laps_to_go);
  const group = state.lead_group.length;
  fill($("gap"), [
    group ? h("span", "gap-group", interpolate(gettext("Lead group: %(size)s"), { size: group }, true)) : null,
    state.lead_gap ? h("span", "gap-time", interpolate(gettext("+%(gap)s to the chase"), { gap: state.lead_gap }, true)) : null,
  ]);
  fill($("sprints"), state.sprint_laps.map((lap) => sprintBlock(state, lap, skaters)));
  const order = state.running_order.map((bib) => skaters.get(bib)).filter(Boolean);
  const out = state.skaters.filter((s) => s.status !== "OK");
  fill($("running"), [
    ...order.slice(0, RUNNING_SHOWN).map((s, i) => runningRow(s, i + 1, i === 0 && s.laps_done > 0)),
    ...out.map((s) => h("li", "runner out", [h("span", "pos", ""), h("span", "bib", s.bib),
      h("span", "name", s.name), h("span", "nation", s.nation), h("span", "behind", statusBadges(s)), h("span", "points", "")])),
  ]);
  const withPoints = state.standings.filter((r) => r.points > 0 || r.rank !== null).slice(0, 10);
  fill($("standings"), withPoints.map(pointsRow));
}

/* The race clock: from the start signal; it stops when the first skater finishes. */
export function massClock(state, serverNow) {
  const pair = state.pairs[0];
  const first = bySkater(state).get(state.running_order[0]);
  if (state.laps_to_go === 0 && first) return first.last;
  if (!pair || pair.started_at === null || pair.started_at === undefined) return "0.0";
  if (state.race.state !== "live") return "";
  // Never behind a crossing already recorded (a replay at speed, a clock offset not yet learnt).
  return runningTime(Math.max(serverNow - pair.started_at, first ? first.last_ms || 0 : 0));
}
