/*
 * A classification on a venue screen between races (timing/screens.py decides when): its
 * standings with the qualification line, and what each skater still to skate needs on its next
 * distance. The table is the server's (GET /api/classifications/<id>/, timing/classification_table.py),
 * kept live by the competition socket's "classification" messages; this module only draws it.
 */
import { followCompetition } from "./live.js";
import { h, invented } from "./show.js";

const ROWS = 12; // standings that read from the far stand at 1920×1080
const TARGETS = 8; // the skaters up next: the first pairs of the next distance

/*
 * The table of classification `id`, live: `onTable(data)` on every newer table. Loads on every
 * (re)connect and schedule change (a message may have been missed), and every 30 s.
 * `stop()` closes it.
 */
export function followTable(id, competitionId, { onTable, onStatus }) {
  let newest = -1;
  let stopped = false;
  const take = (data) => {
    if (stopped || !data || data.version <= newest) return;
    newest = data.version;
    onTable(data);
  };
  const load = async () => {
    try {
      const response = await fetch(`/api/classifications/${id}/`, { cache: "no-store" });
      if (response.ok) take(await response.json());
    } catch (e) {
      if (!stopped) setTimeout(load, 2000);
    }
  };
  const feed = followCompetition(competitionId, {
    onState: load,
    onStatus,
    onMessage: (msg) => {
      if (msg.type === "classification" && msg.table && msg.table.classification.id === id) take(msg.table);
    },
  });
  const timer = setInterval(load, 30000);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      feed.stop();
    },
  };
}

function row(s, cut) {
  const behind = s.status || (s.to_skate ? "to skate" : s.behind && s.behind !== "0.000" ? `+${s.behind}` : "");
  const li = h("li", ["cl-row", s.qualified === false ? "out" : "", cut ? "cut" : ""].join(" ").trim(), [
    h("span", "rank", s.rank ?? ""),
    h("span", "name", [s.skater.name, invented(s.skater.invented)]),
    h("span", "nation", s.skater.nation),
    h("span", "points", s.points),
    h("span", "behind", behind),
  ]);
  li.dataset.skater = s.skater.name;
  return li;
}

function targetRow(t) {
  const li = h("li", "cl-target", [
    h("span", "pair-no", t.pair ? ["pair", h("b", "", t.pair)] : ""),
    h("span", "name", [t.skater.name, invented(t.skater.invented)]),
    h("span", "lead", t.lead.text),
  ]);
  li.dataset.skater = t.skater.name;
  return li;
}

/* The whole sheet for `data` (the GET answer). */
export function classificationSheet(data) {
  const c = data.classification;
  const shown = data.standings.slice(0, ROWS);
  // The qualification line: under the last qualifier, before the first ranked skater who is out.
  const firstOut = shown.findIndex((s) => s.qualified === false && s.rank !== null);
  const standings = h("ol", "cl-standings", shown.map((s, i) => row(s, firstOut > 0 && i === firstOut - 1)));
  const more = data.standings.length - shown.length;
  const parts = [
    h("header", "sheet-head", [
      h("span", "kicker", "Classification"),
      h("h1", "sheet-title", c.name),
      h("span", "sheet-note", c.races.map((r) => `${r.distance}${r.over ? " ✓" : ""}`).join(" · ")),
    ]),
  ];
  const columns = [h("section", "cl-table", [standings, more > 0 ? h("p", "more", `… and ${more} more`) : null])];
  const next = data.next;
  if (next && next.targets.length) {
    columns.push(h("section", "cl-next", [
      h("h2", "cl-next-title", `${next.distance} m · to lead`),
      h("ol", "cl-targets", next.targets.slice(0, TARGETS).map(targetRow)),
    ]));
  }
  parts.push(h("div", `cl-columns cl-columns-${columns.length}`, columns));
  if (data.standings.some((s) => s.skater.invented)) parts.push(h("p", "demo", "DEMO DATA: names and times marked * are invented"));
  const sheet = h("section", "sheet sheet-classification", parts);
  sheet.dataset.classification = c.id;
  sheet.dataset.version = data.version;
  return sheet;
}
