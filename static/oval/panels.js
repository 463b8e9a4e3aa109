/*
 * What a venue screen shows besides a race's board: a start list, a result list, standings, a
 * message, the competition's name. Each takes a race state from the live feed (live.js) and
 * returns an element; what to show was decided by the server (timing/screens.py).
 */
import { gettext, interpolate, ngettext } from "./i18n.js";
import { pointsRow } from "./board_mass_start.js";
import { LANES, bests, h, invented, standingRow, statusBadges } from "./show.js";

function heading(kicker, title, note) {
  return h("header", "sheet-head", [
    h("span", "kicker", kicker),
    h("h1", "sheet-title", title),
    note ? h("span", "sheet-note", note) : null,
  ]);
}

function entrant(start, lane) {
  if (!start) return h("div", `entrant entrant-${lane} empty`, "—");
  return h("div", `entrant entrant-${lane}`, [
    LANES.includes(lane) ? h("span", `lane-chip lane-chip-${lane}`, lane === "inner" ? "I" : "O") : null,
    h("span", "name", [start.name, invented(start.invented)]),
    h("span", "nation", start.nation),
    bests(start),
    ...statusBadges(start),
  ]);
}

/* The mark that invented demo data never passes itself off as real (DOMAIN.md). */
function demoNote(race) {
  return race.demo ? h("p", "demo", gettext("DEMO DATA: names and times marked * are invented")) : null;
}

/* A mass start's field by bib, in two columns: one start, no pairs. */
function massStartList(state, kicker) {
  const { race } = state;
  const rows = state.skaters.map((s) => {
    const row = h("li", "pair-row", [h("span", "pair-no", s.bib), entrant(s, "mass")]);
    row.dataset.bib = s.bib;
    return row;
  });
  const list = h("ol", "startlist startlist-mass", rows.length ? rows : [h("li", "pair-row empty", "The start list is not in yet.")]);
  list.style.setProperty("--rows", String(Math.max(1, Math.ceil(rows.length / 2))));
  return h("section", "sheet sheet-startlist", [
    heading(kicker, race.title, `${race.competition.name} · mass start, ${race.laps} laps`), list, demoNote(race),
  ]);
}

/* The start list: one row per pair, inner lane then outer, with PB and SB. */
export function startList(state, { kicker = gettext("Start list"), limit = null } = {}) {
  const { race } = state;
  if (race.kind === "mass_start") return massStartList(state, kicker);
  const pairs = limit ? state.pairs.filter((p) => p.number >= race.current_pair).slice(0, limit) : state.pairs;
  const rows = pairs.map((p) => {
    const row = h("li", "pair-row", [h("span", "pair-no", p.number), ...LANES.map((lane) => entrant(p[lane], lane))]);
    row.dataset.pair = p.number;
    return row;
  });
  const list = h("ol", "startlist", rows.length ? rows : [h("li", "pair-row empty", gettext("The start list is not in yet."))]);
  list.style.setProperty("--rows", String(Math.max(1, rows.length)));
  const more = state.pairs.length - pairs.length;
  return h("section", "sheet sheet-startlist", [
    heading(kicker, race.title, race.competition.name),
    list,
    more > 0 ? h("p", "more", interpolate(ngettext("… and %(n)s more pair", "… and %(n)s more pairs", more), { n: more }, true)) : null,
    demoNote(race),
  ]);
}

/*
 * A race's list for the whole screen. With `list` (the official result list, GET
 * /api/races/<id>/results: timing/results.py) it shows every skater drawn, statuses with their
 * reasons, and the official/unofficial mark the server gives; without it (standings mode, or a
 * kind of race without a result list yet) the live standings.
 */
export function resultList(state, { list = null, kicker, limit = null } = {}) {
  const { race } = state;
  const all = list ? [...list.ranked, ...list.unranked] : state.standings;
  const shown = limit ? all.slice(0, limit) : all;
  const rows = shown.map((s) => {
    // A mass start ranks on points: its rows show them where a time would be.
    const row = race.kind === "mass_start" ? pointsRow(s)
      : standingRow(s, { row: "li", cell: "span", className: "standing", rank: s.rank ?? "" });
    if (s.note) row.append(h("span", "reason", s.note));
    return row;
  });
  const mark = list ? (list.official ? gettext("OFFICIAL") : gettext("UNOFFICIAL")) : null;
  const ol = h("ol", "results", rows.length ? rows : [h("li", "standing empty", gettext("No times yet."))]);
  ol.style.setProperty("--rows", String(Math.max(1, Math.ceil(rows.length / 2))));
  const sheet = h("section", "sheet sheet-results", [heading(kicker || gettext("Results"), race.title, mark), ol, demoNote(race)]);
  if (mark) sheet.dataset.official = String(list.official);
  return sheet;
}

export function message(text) {
  return h("section", "sheet sheet-message", [h("p", "message", text)]);
}

export function idle(competition) {
  return h("section", "sheet sheet-idle", [
    h("h1", "idle-name", competition.name),
    competition.venue ? h("p", "idle-venue", competition.venue) : null,
  ]);
}

