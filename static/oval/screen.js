/*
 * A venue screen: the venue board (/competitions/<id>/board/) or a named screen
 * (/screens/<name>/). It follows the competition's schedule and shows the view the server
 * decided for it (timing/screens.py): the venue's, or the one the officials set for its name.
 *
 * Switching never blanks the screen: the new picture is built from its own live feed and only
 * replaces the old one once it has something to show. A lost connection keeps the last picture;
 * a small marker in a corner says so.
 */
import { follow, followCompetition } from "./live.js";
import { boardShell, renderBoard, tickBoard } from "./board-view.js";
import { idle, message, resultList, startList } from "./panels.js";
import { resultsView } from "./results-view.js";
import { classificationSheet, followTable } from "./screen-classification.js";
import { everyTenth, h, keepAwake, showStatus } from "./show.js";

const root = document.getElementById("screen");
const stage = document.getElementById("stage");
const marker = document.getElementById("screen-conn");
const competitionId = Number(root.dataset.competition);
const name = root.dataset.screen || null;
const BETWEEN_RESULTS = 10; // the last race's top places beside the next start list
const BETWEEN_PAIRS = 7; // the next race's first pairs: what fits at a size read from the stands

let shown = null; // the picture on screen
let wanted = null; // the picture the schedule asks for (the same one, or one getting ready)
let schedule = null;
const statuses = new Map();

function setStatus(who, status) {
  statuses.set(who, status);
  const worst = [...statuses.values()].find((s) => s !== "live") || "live";
  showStatus(marker, worst);
}

/* The server's answer for this screen; a screen not listed follows the venue (docs/api.md). */
function viewOf(sched) {
  return (name && sched.screens[name] && sched.screens[name].view) || sched.venue;
}

/*
 * One picture: `races` to follow, and `draw(states, el, lists)` once every one of them has a state
 * (returning its element, or the same `el` redrawn). `lists`: races whose official result list
 * (GET /api/races/<id>/results) the picture shows, fetched again whenever the race moves; the
 * old list stays up until the new one has arrived. `tick` (optional) moves clocks. The picture
 * goes on screen when it is ready, if it is still the picture wanted.
 */
function picture(key, races, draw, { tick = null, lists = [], has = () => true } = {}) {
  const p = { key, feeds: [], states: new Map(), lists: new Map(), asked: new Map(), tick: null, el: null, clock: null };
  const live = () => p === wanted || p === shown;
  const ready = () => has() && races.every((id) => p.states.has(id)) && lists.every((id) => p.lists.has(id));
  p.update = () => {
    if (!ready() || !live()) return;
    const el = draw(races.map((id) => p.states.get(id)), p.el, p.lists);
    if (el !== p.el) {
      p.el = el;
      el.dataset.show = key.show;
      if (shown === p) stage.replaceChildren(el);
    }
    if (shown !== p) swapTo(p);
  };
  const fetchList = async (id, version) => {
    if ((p.asked.get(id) ?? -1) >= version) return;
    p.asked.set(id, version);
    try {
      const response = await fetch(`/api/races/${id}/results`, { cache: "no-store" });
      // 404: no result list for this kind of race yet; the live standings stand in for it.
      const list = response.status === 404 ? null : response.ok ? await response.json() : undefined;
      if (list === undefined) throw new Error(`results: HTTP ${response.status}`);
      const had = p.lists.get(id);
      if (!had || !list || list.version >= had.version) p.lists.set(id, list);
      p.update();
    } catch (e) {
      p.asked.delete(id);
      setTimeout(() => live() && p.states.has(id) && fetchList(id, p.states.get(id).version), 2000);
    }
  };
  p.feeds = races.map((id) => follow(id, {
    onState: (state) => {
      p.states.set(id, state);
      if (lists.includes(id)) fetchList(id, state.version);
      p.update();
    },
    onStatus: (s) => setStatus(`${key.text}:${id}`, s),
  }));
  p.clock = p.feeds.length ? p.feeds[0] : null; // its now(): the server's clock
  if (tick) p.tick = () => ready() && p.el && tick(races.map((id) => p.states.get(id)), p.el, p.clock.now());
  return p;
}

function swapTo(next) {
  const old = shown;
  shown = next;
  stage.replaceChildren(next.el);
  root.dataset.show = next.key.show;
  root.dataset.race = next.key.race ?? "";
  if (old && old !== next) retire(old);
}

function retire(p) {
  for (const feed of p.feeds) feed.stop();
  for (const who of [...statuses.keys()]) if (who.startsWith(`${p.key.text}:`)) statuses.delete(who);
  setStatus("schedule", statuses.get("schedule") || "live");
}

function boardPicture(view, key) {
  let results = null;
  return picture(key, [view.race], ([state], el) => {
    const board = el || h("main", "board-frame");
    if (!el) {
      board.id = "board";
      boardShell(board);
      results = resultsView(board, view.race); // a closed race: its result list in place of the pairs
    }
    renderBoard(board, state);
    results.update(state);
    return board;
  }, { tick: ([state], el, now) => tickBoard(el, state, now) });
}

function betweenPicture(view, key) {
  const races = [view.next, view.last].filter((id) => id !== null && id !== undefined);
  const last = view.last ?? null;
  return picture(key, races, (states, el, lists) => {
    const byId = new Map(states.map((s) => [s.race.id, s]));
    const parts = [];
    if (view.next !== null && view.next !== undefined) parts.push(startList(byId.get(view.next), { kicker: "Next race", limit: BETWEEN_PAIRS }));
    if (last !== null) {
      parts.push(resultList(byId.get(last), { list: lists.get(last), kicker: "Last race", limit: BETWEEN_RESULTS }));
    }
    return h("div", `between between-${parts.length}`, parts);
  }, { lists: last === null ? [] : [last] });
}

/* A classification between races: ready once its table has come (screen-classification.js). */
function classificationPicture(view, key) {
  let table = null;
  const p = picture(key, [], () => classificationSheet(table), { has: () => table !== null });
  p.feeds.push(followTable(view.classification, competitionId, {
    onTable: (data) => {
      table = data;
      p.update();
    },
    onStatus: (s) => setStatus(`${key.text}:table`, s),
  }));
  return p;
}

function build(view) {
  const key = { ...view, text: JSON.stringify(view) };
  switch (view.show) {
    case "race":
      return boardPicture(view, key);
    case "between":
      return betweenPicture(view, key);
    case "classification":
      return classificationPicture(view, key);
    case "results":
      return picture(key, [view.race], ([s], el, lists) => resultList(s, { list: lists.get(view.race), kicker: "Results" }), {
        lists: [view.race],
      });
    case "standings":
      return picture(key, [view.race], ([s]) => resultList(s, { kicker: "Standings" }));
    case "startlist":
      return picture(key, [view.race], ([s]) => startList(s));
    case "message":
      return picture(key, [], () => message(view.text));
    default:
      return picture(key, [], () => idle(schedule.competition));
  }
}

function onSchedule(sched) {
  schedule = sched;
  const view = viewOf(sched);
  const text = JSON.stringify(view);
  if (wanted && wanted.key.text === text) return;
  if (wanted && wanted !== shown) retire(wanted);
  wanted = shown && shown.key.text === text ? shown : build(view);
  wanted.update();
}

const schedFeed = followCompetition(competitionId, {
  onState: onSchedule,
  onStatus: (s) => setStatus("schedule", s),
});

everyTenth(() => shown && shown.tick && shown.tick());
keepAwake();

/* A named screen reports itself, so the officials' Screens page lists it with its clock offset. */
if (name) {
  const beat = () => {
    const body = JSON.stringify({ offset_ms: Math.round(-schedFeed.clock.offset) });
    fetch(`/api/competitions/${competitionId}/screens/${name}/seen`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body, cache: "no-store", credentials: "omit",
    }).catch(() => {});
  };
  setTimeout(beat, 2000); // after the first messages taught the clock its offset
  setInterval(beat, Number(root.dataset.beacon || 15) * 1000);
}
