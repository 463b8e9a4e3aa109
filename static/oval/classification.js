/*
 * A classification (phone first): the table with points per distance, behind, the line under
 * the qualifiers, and what each skater still to skate the next distance needs. The server computes
 * every number; this page only shows them, live from the competition's socket.
 */
import { followCompetition, requestedDelay } from "./live.js";
import { fill, h, invented, showStatus } from "./show.js";

const root = document.getElementById("classification");
const id = Number(root.dataset.classification);
const competitionId = Number(root.dataset.competition);
/*
 * The TV delay, as on the race pages (live.js): ?delay=<seconds>, else what this phone chose
 * there. Every table, the first included, is shown that many seconds after it arrived, so the
 * points never run ahead of the stream the viewer watches.
 */
const delayMs = requestedDelay({ remember: root.dataset.view === "phone" }) * 1000;
const queue = []; // [due (performance.now() ms), table] not yet shown
let queueTimer = null;
let shown = -1;
const delayNote = document.getElementById("delay-note");
delayNote.hidden = delayMs === 0;
delayNote.textContent = `TV delay: ${delayMs / 1000} s behind live`;
let loading = null;
let again = false;

function skaterCell(s) {
  return h("td", "name", [s.name, invented(s.invented), " ", h("span", "nation", s.nation)]);
}

function head(data) {
  const cells = [h("th", "rank", ""), h("th", "name", "Skater")];
  for (const r of data.classification.races) cells.push(h("th", "dist", `${r.distance}`));
  cells.push(h("th", "points", "Points"));
  return h("tr", "", cells);
}

function row(s, data) {
  const cells = [h("td", "rank", s.rank ? `${s.rank}.` : ""), skaterCell(s.skater)];
  for (const r of s.results) {
    const text = r.status || (r.points === null ? "" : r.points);
    const cell = h("td", r.status ? "dist status" : "dist", text);
    if (r.time) cell.title = `${r.distance} m: ${r.time}`;
    cells.push(cell);
  }
  const note = s.status ? s.status : s.to_skate ? "to skate" : "";
  const behind = s.behind === null ? note : s.behind === "0.000" ? "" : `+${s.behind}`;
  cells.push(h("td", "points", [s.points, h("span", "behind", behind)]));
  const tr = h("tr", [s.qualified === false ? "out" : "", s.to_skate ? "pending" : ""].join(" ").trim(), cells);
  tr.dataset.skater = s.skater.name;
  return tr;
}

/* The qualification line: under the last row before the first skater ranked without qualifying. */
function renderTable(data) {
  fill(document.getElementById("classif-head"), [head(data)]);
  const firstOut = data.standings.findIndex((s) => s.qualified === false && s.rank !== null);
  fill(document.getElementById("classif"), data.standings.map((s, i) => {
    const tr = row(s, data);
    if (firstOut > 0 && i === firstOut - 1) tr.classList.add("cut");
    return tr;
  }));
}

function target(label, t) {
  return h("div", "target", [h("span", "label", label), " ", h("span", t.time ? "need time" : "need", t.text)]);
}

function card(t, onIce) {
  const el = h("div", onIce ? "target-card on-ice" : "target-card", [
    h("div", "who", [h("span", "pair-no", t.pair ? `Pair ${t.pair}` : ""), " ", t.skater.name, invented(t.skater.invented),
      " ", h("span", "nation", t.skater.nation), " ", h("span", "brings", t.points)]),
    target("Lead", t.lead),
    target("Podium", t.podium),
  ]);
  el.dataset.skater = t.skater.name;
  return el;
}

/* The pair up (or on the ice) first, above the table; everyone still to skate below it. */
function renderNext(data) {
  const next = data.next;
  const section = document.getElementById("next");
  const now = document.getElementById("now");
  section.hidden = !next || !next.targets.length;
  const onIce = next ? next.targets.filter((t) => t.pair === next.current_pair) : [];
  now.hidden = !onIce.length;
  if (section.hidden) return;
  const race = data.classification.races.find((r) => r.id === next.race);
  document.getElementById("now-title").textContent = `Pair ${next.current_pair} · ${race.distance} m · what they need`;
  fill(document.getElementById("now-targets"), onIce.map((t) => card(t, true)));
  document.getElementById("next-title").textContent = `Targets · ${race.distance} m · still to skate`;
  fill(document.getElementById("targets"), next.targets.map((t) => card(t, false)));
}

function render(data) {
  document.getElementById("demo").hidden = !data.standings.some((s) => s.skater.invented || s.results.some((r) => r.invented));
  renderTable(data);
  renderNext(data);
  root.dataset.version = data.version;
}

function show(data) {
  if (data.version <= shown) return; // old news
  shown = data.version;
  render(data);
}

/* A table as it arrives: on screen now, or `delayMs` later, in the order tables arrived. */
function arrive(data) {
  if (delayMs === 0) {
    show(data);
    return;
  }
  queue.push([performance.now() + delayMs, data]);
  release();
}

function release() {
  const now = performance.now();
  while (queue.length && queue[0][0] <= now) show(queue.shift()[1]);
  clearTimeout(queueTimer);
  queueTimer = queue.length ? setTimeout(release, queue[0][0] - now) : null;
}

/* One request at a time; a change during a request asks for one more after it. */
async function load() {
  if (loading) {
    again = true;
    return;
  }
  loading = (async () => {
    try {
      const response = await fetch(`/api/classifications/${id}/`, { cache: "no-store" });
      if (!response.ok) return;
      arrive(await response.json());
    } catch (e) {
      again = true;
      setTimeout(load, 2000);
    } finally {
      loading = null;
      if (again) {
        again = false;
        load();
      }
    }
  })();
}

/*
 * The competition's socket (live.js keeps it alive): its "classification" messages carry the
 * whole table, the same JSON as the HTTP answer. Every snapshot (each (re)connect) and schedule
 * change reloads the table, since a message may have been missed meanwhile; a slow reload every
 * half minute covers a lost broadcast, which the server's version poll does not resend.
 */
followCompetition(competitionId, {
  onState: () => load(),
  onStatus: (s) => showStatus(document.getElementById("conn"), s),
  onMessage: (msg) => {
    if (msg.type === "classification" && msg.table && msg.table.classification.id === id) arrive(msg.table);
  },
});
setInterval(() => {
  if (document.visibilityState === "visible") load();
}, 30000);
