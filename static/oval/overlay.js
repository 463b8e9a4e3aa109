/*
 * The broadcast overlay (OBS, vMix: a 1920×1080 browser source over video). A lower third with
 * the pair on the ice: running clock, each split as it comes with its difference to the leader
 * (green when it leads, the ▲/▼ sign with it), the finish with rank and record. It hides itself
 * between pairs. /races/<id>/overlay/ follows one race; /competitions/<id>/overlay/ follows the
 * race the venue shows. A team pursuit shows its two teams by straight and, on each lap, the
 * difference to the other team (green when ahead); its finish is the third skater's. A mass
 * start has its own lower third (overlay_mass.js).
 *
 * Query options: position=bottom|top, scale=0.5..2, margin=0..20 (safe margin, % of the
 * frame), parts=title,clock,splits,finish (any of them), hold=seconds the finish stays up,
 * delay=seconds to hold everything back so it matches the video it is keyed over (live.js).
 */
import { gettext } from "./i18n.js";
import { follow, followCompetition, requestedDelay } from "./live.js";
import { massVisible, renderMassOverlay, tickMassOverlay } from "./overlay_mass.js";
import {
  ARMBANDS, LANES, STRAIGHTS, everyTenth, fill, finishOf, h, invented, laneClock, minus, pairByNumber, recordBadge,
  splitRow, statusBadges,
} from "./show.js";

const root = document.getElementById("overlay");
const query = new URLSearchParams(location.search);

function number(name, fallback, lo, hi) {
  const v = Number(query.get(name));
  return query.has(name) && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
}

const OPTIONS = {
  position: query.get("position") === "top" ? "top" : "bottom",
  scale: number("scale", 1, 0.5, 2),
  margin: number("margin", 5, 0, 20),
  parts: new Set((query.get("parts") || "title,clock,splits,finish").split(",").map((s) => s.trim())),
  hold: number("hold", 12, 0, 600),
};
root.dataset.position = OPTIONS.position;
root.style.setProperty("--scale", String(OPTIONS.scale));
root.style.setProperty("--margin", `${OPTIONS.margin}%`);
for (const p of ["title", "clock", "splits", "finish"]) root.classList.toggle(`no-${p}`, !OPTIONS.parts.has(p));

const box = h("section", "lower-third");
root.append(box);
let feed = null;
let followed = null;

/* A team pursuit: the team's difference to the other team at this lap, green (▲) when ahead. */
function versus(p) {
  if (!p || p.ahead === null || p.ahead === undefined) return null;
  return h("span", `versus ${p.ahead ? "ahead" : "behind"}`, [h("span", "sign", p.ahead ? "▲" : "▼"), minus(p.versus)]);
}

function laneRow(race, pair, lane) {
  const start = pair[lane];
  if (!start) return null;
  const teams = race.kind === "team_pursuit";
  const finish = finishOf(start, race);
  const last = start.passings[start.passings.length - 1];
  const clock = h("span", "clock", "");
  clock.dataset.clock = lane;
  const split = last && !finish ? h("table", "last-split", [h("tbody", "", splitRow(last))]) : null;
  const result = finish ? h("span", "finish", [
    teams ? h("small", "third", gettext("3rd skater")) : null, // a team's time is taken on its third skater
    finish.rank ? h("span", "finish-rank", [h("small", "", `${gettext("rank")} `), finish.rank]) : null,
    recordBadge(finish.record),
  ]) : null;
  const row = h("div", `row row-${ARMBANDS[lane]}`, [
    h("span", `armband armband-${ARMBANDS[lane]}`),
    h("span", "who", [
      h("span", "name", [start.name, invented(start.invented)]), h("span", "nation", start.nation),
      teams ? h("span", "straight", STRAIGHTS[lane]) : null,
    ]),
    ...statusBadges(start),
    clock,
    split,
    result,
    teams ? versus(last) : null,
  ]);
  row.dataset.lane = lane;
  return row;
}

/* Up while the pair skates and `hold` seconds after its last finish; down between pairs. */
function visible(state, now) {
  const pair = pairByNumber(state, state.race.current_pair);
  if (!pair || pair.started_at === null || pair.started_at === undefined) return false;
  const starts = LANES.map((l) => pair[l]).filter(Boolean);
  if (!starts.length) return false;
  let lastFinish = 0;
  for (const s of starts) {
    const f = finishOf(s, state.race);
    if (f) lastFinish = Math.max(lastFinish, f.time_ms);
    else if (s.status === "OK") return true; // still skating
  }
  return now < pair.started_at + lastFinish + OPTIONS.hold * 1000;
}

function render(state) {
  const { race } = state;
  box.classList.toggle("mass-start", race.kind === "mass_start");
  box.classList.toggle("team-pursuit", race.kind === "team_pursuit");
  if (race.kind === "mass_start") {
    renderMassOverlay(box, state);
    tick();
    return;
  }
  const pair = pairByNumber(state, race.current_pair);
  if (!pair) {
    box.replaceChildren();
    return;
  }
  fill(box, [
    h("header", "title", [
      h("span", "race", race.title),
      h("span", "pairno", `${race.kind === "team_pursuit" ? gettext("Heat") : gettext("Pair")} ${pair.number}`),
    ]),
    ...LANES.map((lane) => laneRow(race, pair, lane)),
  ]);
  tick();
}

function tick() {
  const state = feed && feed.shown;
  if (!state) {
    box.classList.add("hidden");
    return;
  }
  const now = feed.now();
  if (state.race.kind === "mass_start") {
    box.classList.toggle("hidden", !massVisible(state, now, OPTIONS.hold * 1000));
    tickMassOverlay(box, state, now);
    return;
  }
  box.classList.toggle("hidden", !visible(state, now));
  const pair = pairByNumber(state, state.race.current_pair);
  if (!pair) return;
  for (const lane of LANES) {
    const el = box.querySelector(`[data-clock="${lane}"]`);
    if (!el || !pair[lane]) continue;
    const clock = laneClock(state.race, pair, pair[lane], now);
    if (el.textContent !== clock.text) el.textContent = clock.text;
    el.classList.toggle("running", clock.running);
  }
}

function followRace(raceId) {
  if (raceId === followed) return;
  if (feed) feed.stop();
  followed = raceId;
  feed = raceId === null ? null : follow(raceId, {
    onState: render, onStatus: (s) => (root.dataset.status = s), delaySeconds: requestedDelay(),
  });
  tick();
}

if (root.dataset.race) {
  followRace(Number(root.dataset.race));
} else {
  followCompetition(Number(root.dataset.competition), {
    onState: (sched) => followRace(sched.venue.show === "race" ? sched.venue.race : null),
    delaySeconds: requestedDelay(), // switch races as late as the video does
    onStatus: (s) => {
      if (!feed) root.dataset.status = s;
    },
  });
}
everyTenth(tick);
