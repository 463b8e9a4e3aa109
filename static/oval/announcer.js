/*
 * The announcer's view: for the pair on the ice each skater's PB, SB, the record to beat, the
 * leader's time, her rank and difference at every point, and what she needs for the lead and the
 * podium (the server's numbers: GET /api/races/<id>/announcer, timing/announcer.py), her
 * projected finish (the snapshot's, timing/rules/projection.py); the next
 * pairs with their bests; the records in play and the venue's; the gap charts (gaps-view.js: a
 * team pursuit's head to head, a mass start's front of the race). Read-only, like every screen.
 * /races/<id>/announcer/ follows one race; /competitions/<id>/announcer/ follows the show.
 */
import { gettext, interpolate } from "./i18n.js";
import { raceCharts } from "./gaps-view.js";
import { follow, followCompetition } from "./live.js";
import { classificationBlock, nextPairLine } from "./announcer-classification.js";
import {
  ARMBANDS, LANES, LANE_NAMES, STRAIGHTS, bests, everyTenth, fill, h, invented, pairByNumber, pendingSplitRow, raceStateText,
  showStatus,
  splitRow, statusBadges, updateClocks,
} from "./show.js";

const root = document.getElementById("announcer");
const NEXT_PAIRS = 3;
let feed = null;
let followed = null;
let facts = null;
let asking = false;

async function loadFacts(state) {
  if (asking || (facts && facts.race === state.race.id && facts.version >= state.version)) return;
  asking = true;
  try {
    const response = await fetch(`/api/races/${state.race.id}/announcer`, { cache: "no-store" });
    if (response.ok) facts = await response.json();
  } catch (e) {
    /* keep the facts we had; the next update asks again */
  } finally {
    asking = false;
  }
  if (feed && feed.shown) render(feed.shown, false);
}

function fact(label, value, cls = "") {
  return value ? h("div", `fact ${cls}`, [h("small", "", label), h("span", "", value)]) : null;
}

function laneCard(race, pair, lane) {
  const start = pair ? pair[lane] : null;
  const head = h("div", `armband armband-${ARMBANDS[lane]}`, (race.kind === "team_pursuit" ? STRAIGHTS : LANE_NAMES)[lane]);
  if (!start) return h("article", "card", [head, h("p", "empty", gettext("no skater in this lane"))]);
  const at = new Map(start.passings.map((p) => [p.distance, p]));
  const clock = h("div", "clock", "");
  clock.dataset.clock = lane;
  const record = facts && facts.race === race.id && facts.records[0];
  const leader = facts && facts.race === race.id && facts.leader;
  const card = h("article", "card", [
    head,
    h("div", "who", [h("span", "name", [start.name, invented(start.invented)]), h("span", "nation", start.nation), ...statusBadges(start)]),
    h("div", "facts", [
      bests(start),
      clock,
    ]),
    h("div", "needs", [
      fact(gettext("projected"), start.projected
        ? interpolate(gettext("%(time)s (rank %(rank)s)"), start.projected, true) : "", "projected"),
      fact(gettext("to lead"), leader
        ? interpolate(gettext("faster than %(time)s (%(name)s)"), { time: facts.to_lead, name: leader.name }, true)
        : gettext("any finish leads"), "lead"),
      fact(gettext("podium"), facts && facts.podium
        ? interpolate(gettext("%(time)s or better"), { time: facts.podium }, true) : gettext("any finish"), "podium"),
      fact(gettext("record"), record ? `${record.kind} ${record.time} (${record.holder})` : "", "record"),
    ]),
    classificationBlock(facts, race.id, pair ? pair.number : null, lane),
    h("table", "splits", [
      h("thead", "", h("tr", "", ["", gettext("time"), gettext("lap"), gettext("rank"), gettext("diff")].map((t) => h("th", "", t)))),
      h("tbody", "", race.points.map((d) => (at.has(d) ? splitRow(at.get(d)) : pendingSplitRow(d)))),
    ]),
  ]);
  card.dataset.lane = lane;
  return card;
}

function nextPairs(state) {
  const later = state.pairs.filter((p) => p.number > state.race.current_pair).slice(0, NEXT_PAIRS);
  return h("section", "next", [
    h("h2", "", gettext("Next pairs")),
    later.length ? h("ol", "pairs", later.map((p) => h("li", "", [
      h("span", "pair-no", `${gettext("Pair")} ${p.number}`),
      ...LANES.map((lane) => (p[lane]
        ? h("span", "entrant", [h("b", "", p[lane].name), ` ${p[lane].nation} `, bests(p[lane]),
          nextPairLine(facts, state.race.id, p.number, lane)])
        : h("span", "entrant", "—"))),
    ]))) : h("p", "", gettext("This is the last pair.")),
  ]);
}

function recordList(title, records) {
  if (!records || !records.length) return null;
  return h("section", "records", [
    h("h2", "", title),
    h("ul", "", records.map((r) => h("li", "", [
      h("b", "", r.kind), ` ${r.category} ${r.distance} m `, h("b", "", r.time), ` ${r.holder}${r.nation ? ` (${r.nation})` : ""}`,
      r.date ? ` · ${r.date}` : "",
    ]))),
  ]);
}

const GAPS_TITLE = { mass_start: "Gap to the front, lap by lap", team_pursuit: "Head to head and gap to the leader" };

function gaps(state) {
  return h("section", "announcer-gaps", [h("h2", "", GAPS_TITLE[state.race.kind] || "Gap to the leader"), h("div", "charts", raceCharts(state))]);
}

function render(state, ask = true) {
  const { race } = state;
  const pair = pairByNumber(state, race.current_pair);
  const mine = facts && facts.race === race.id;
  const mass = race.kind === "mass_start";
  const unit = race.kind === "team_pursuit" ? "Heat" : "Pair";
  fill(root.querySelector("#body"), [
    h("header", "head", [
      h("h1", "", race.title),
      h("span", "pairno", mass
        ? interpolate(gettext("%(togo)s of %(laps)s laps to go"), { togo: state.laps_to_go, laps: race.laps }, true)
        : `${unit} ${race.current_pair} / ${state.pairs.length}`),
      h("span", "state", raceStateText(race.state)),
      mine && facts.leader ? h("span", "leader", [h("small", "", `${gettext("leader")} `), `${facts.leader.name} ${facts.leader.nation} ${facts.leader.time}`]) : null,
    ]),
    mass ? null : h("section", "cards", LANES.map((lane) => laneCard(race, pair, lane))),
    gaps(state),
    h("div", "foot", [
      mass ? null : nextPairs(state),
      recordList(gettext("Records in play"), mine ? facts.records : []),
      recordList(mine && facts.venue ? `${gettext("Track records")} · ${facts.venue}` : gettext("Track records"), mine ? facts.venue_records : []),
    ]),
  ]);
  tick();
  if (ask) loadFacts(state);
}

function tick() {
  if (feed && feed.shown) updateClocks(root, feed.shown, feed.now());
}

function followRace(raceId) {
  if (raceId === followed) return;
  if (feed) feed.stop();
  followed = raceId;
  facts = null;
  if (raceId === null) {
    fill(root.querySelector("#body"), [h("p", "empty", gettext("Nothing on the ice."))]);
    feed = null;
    return;
  }
  feed = follow(raceId, { onState: render, onStatus: (s) => showStatus(document.getElementById("conn"), s) });
}

if (root.dataset.race) {
  followRace(Number(root.dataset.race));
} else {
  followCompetition(Number(root.dataset.competition), {
    onState: (sched) => {
      const v = sched.venue;
      // Between races (a classification on the venue's screens is between races too): the next race.
      const between = v.show === "between" || v.show === "classification";
      followRace(v.show === "race" ? v.race : between ? (v.next ?? v.last) : null);
    },
    onStatus: (s) => {
      if (!feed) showStatus(document.getElementById("conn"), s);
    },
  });
}
everyTenth(tick);
