/*
 * The pair on the ice and the standings as the spectator page and the embeddable widget both
 * show them: one rendering, two pages.
 */
import { gettext } from "./i18n.js";
import {
  ARMBANDS, LANES, LANE_NAMES, STRAIGHTS, diffText, fill, finishOf, h, invented, pairByNumber, recordBadge,
  standingRow, statusBadges, timeCell,
} from "./show.js";

/* A lane's chip; a team pursuit names its two positions by the straight each team starts on. */
export function chip(lane, kind) {
  return h("span", `chip armband-${ARMBANDS[lane]}`, (kind === "team_pursuit" ? STRAIGHTS : LANE_NAMES)[lane]);
}

/* What a pair is called: a team pursuit skates heats. */
export function pairName(race) {
  return race.kind === "team_pursuit" ? gettext("Heat") : gettext("Pair");
}

function nowLane(race, pair, lane) {
  const start = pair[lane];
  if (!start) return null;
  const rows = start.passings.map((p) => {
    const row = h("tr", "split", [
      h("th", "point", `${p.distance} m`),
      timeCell(p),
      h("td", "lap", p.lap || ""),
      h("td", "rank", p.rank ? `${p.rank}.` : ""),
      h("td", "diff", diffText(p) || ""),
    ]);
    row.dataset.point = p.distance;
    return row;
  });
  const finish = finishOf(start, race);
  const clock = h("span", "clock", "");
  clock.dataset.clock = lane;
  const card = h("div", `lane-card lane-${lane}`, [
    h("div", "lane-top", [
      chip(lane, race.kind),
      h("span", "who", [
        h("span", "name", [start.name, invented(start.invented)]), " ", h("span", "nation", start.nation),
        ...statusBadges(start), finish ? recordBadge(finish.record) : null,
      ]),
      clock,
    ]),
    projectedLine(start),
    rows.length ? h("table", "splits", h("tbody", "", rows)) : null,
  ]);
  card.dataset.lane = lane;
  return card;
}

/* The server's projected finish (timing/rules/projection.py), never taken for a time: marked. */
function projectedLine(start) {
  if (!start.projected) return null;
  const { time, rank } = start.projected;
  const line = h("p", "projected", [h("span", "label", gettext("projected finish")), " ", h("span", "time", time), ` · ${rank}.`]);
  line.title = gettext("A projection from her splits and the finishes so far, not a time");
  return line;
}

export function renderNow(state) {
  const { race } = state;
  const pair = pairByNumber(state, race.current_pair);
  document.getElementById("now-title").textContent = pair
    ? `${pairName(race)} ${pair.number}${race.state === "live" ? ` · ${gettext("on the ice")}` : ""}`
    : gettext("Now");
  fill(document.getElementById("now-lanes"), pair ? LANES.map((lane) => nowLane(race, pair, lane)) : []);
}

export function renderStandings(state) {
  fill(
    document.getElementById("standings"),
    state.standings.map((s) => standingRow(s, {
      row: "tr", cell: "td", className: s.pair === state.race.current_pair ? "mine" : "",
      rank: s.rank ? `${s.rank}.` : "",
    })),
  );
}
