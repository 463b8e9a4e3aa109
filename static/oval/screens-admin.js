/*
 * The officials' Screens page: every screen of the competition, what it shows, its heartbeat
 * and clock offset, and a control to put something else on one screen or on all of them. It
 * reads and writes the screens JSON API (docs/api.md) like any automation would; the server
 * decides what each command means (timing/screens.py) and says so in "Shows now".
 */
import { newKey, post } from "./console/send.js";
import { h } from "./show.js";

const root = document.getElementById("screens");
const competitionId = Number(root.dataset.competition);
const API = `/api/competitions/${competitionId}/screens`;
const REFRESH_MS = 3000;
const MODES = [
  ["follow", "Follow the venue"], ["race", "Board of a race"], ["results", "Result list"],
  ["standings", "Standings"], ["startlist", "Start list"], ["message", "Message"],
  ["classification", "Classification"],
];
const NEEDS_RACE = new Set(["race", "results", "startlist", "standings"]);
const rows = new Map(); // name -> {row, cells, controls}
let races = [];
let classifications = [];

function problem(text) {
  document.getElementById("problem").textContent = text || "";
}

function raceOptions(select, chosen) {
  const current = chosen ?? select.value;
  select.replaceChildren(
    h("option", "", "the race on the ice"),
    ...races.map((r) => {
      const o = h("option", "", `${r.title} (${r.state})`);
      o.value = String(r.id);
      return o;
    }),
  );
  select.firstChild.value = "";
  select.value = current === null || current === undefined ? "" : String(current);
}

function classificationOptions(select, chosen) {
  const current = chosen ?? select.value;
  select.replaceChildren(...classifications.map((c) => {
    const o = h("option", "", c.name);
    o.value = String(c.id);
    return o;
  }));
  if (!classifications.length) select.append(h("option", "", "no classification set up"));
  if (current !== null && current !== undefined && current !== "") select.value = String(current);
}

/* mode, race, text and an Apply button; the command goes to `url` once per press (Idempotency-Key). */
function controls(url, label) {
  const mode = h("select", "", MODES.map(([value, text]) => {
    const o = h("option", "", text);
    o.value = value;
    return o;
  }));
  mode.name = "mode";
  const race = h("select");
  race.name = "race";
  const text = h("input");
  text.name = "text";
  text.maxLength = 200;
  text.placeholder = "Racing resumes at 14:35";
  const classification = h("select");
  classification.name = "classification";
  const apply = h("button", "", label);
  apply.type = "submit";
  const form = h("form", "controls", [mode, race, classification, text, apply]);
  const sync = () => {
    race.hidden = !NEEDS_RACE.has(mode.value);
    classification.hidden = mode.value !== "classification";
    text.hidden = mode.value !== "message";
  };
  mode.addEventListener("change", sync);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { mode: mode.value };
    if (!race.hidden && race.value) body.race = Number(race.value);
    if (!text.hidden) body.text = text.value;
    if (!classification.hidden && classification.value) body.classification = Number(classification.value);
    apply.disabled = true;
    const answer = await post(url, body, newKey());
    apply.disabled = false;
    problem(answer.ok ? "" : answer.data.error);
    refresh();
  });
  raceOptions(race, null);
  classificationOptions(classification, null);
  sync();
  return { form, mode, race, classification, text, sync };
}

function age(seconds) {
  if (seconds === null) return "never";
  if (seconds < 90) return `${seconds} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

function offset(ms) {
  if (ms === null || ms === undefined) return "–";
  const s = (ms / 1000).toFixed(2);
  return `${ms >= 0 ? "+" : ""}${s} s`;
}

function screenRow(s) {
  let entry = rows.get(s.name);
  if (!entry) {
    const c = controls(`${API}/${s.name}`, "Apply");
    const cells = { name: h("td", "name", s.name), shows: h("td", "shows"), seen: h("td", "seen"), offset: h("td", "offset") };
    const row = h("tr", "screen", [cells.name, cells.shows, cells.seen, cells.offset, h("td", "", c.form)]);
    row.dataset.screen = s.name;
    c.mode.value = s.mode;
    raceOptions(c.race, s.race);
    classificationOptions(c.classification, s.classification);
    c.text.value = s.text;
    c.sync();
    entry = { row, cells, controls: c };
    rows.set(s.name, entry);
  }
  entry.cells.shows.textContent = s.shows;
  entry.cells.seen.textContent = age(s.seen_seconds_ago);
  entry.cells.seen.className = `seen ${s.online ? "ok" : "stale"}`;
  entry.cells.offset.textContent = offset(s.clock_offset_ms);
  return entry.row;
}

const all = controls(API, "Apply to all");
document.getElementById("all-row").append(h("tr", "all", [
  h("td", "name", "All screens"), h("td", "", "every screen at once, in one change"), h("td"), h("td"), h("td", "", all.form),
]));

async function refresh() {
  let data;
  try {
    const response = await fetch(API, { cache: "no-store", credentials: "same-origin" });
    data = await response.json();
    if (!response.ok) {
      problem(data.error);
      return;
    }
  } catch (e) {
    problem("No answer from the server; the list will refresh when it is back.");
    return;
  }
  races = data.races;
  for (const select of root.querySelectorAll("select[name=race]")) {
    if (document.activeElement !== select) raceOptions(select, null);
  }
  classifications = data.classifications || [];
  for (const select of root.querySelectorAll("select[name=classification]")) {
    if (document.activeElement !== select) classificationOptions(select, null);
  }
  document.getElementById("venue-shows").textContent = `The venue shows: ${data.venue.shows}.`;
  const online = data.screens.filter((s) => s.online).map(screenRow);
  const offline = data.screens.filter((s) => !s.online).map(screenRow);
  document.getElementById("online").replaceChildren(
    ...(online.length ? online : [h("tr", "", h("td", "", "No screen has reported in the last minute."))]),
  );
  document.getElementById("offline").replaceChildren(...offline);
}

refresh();
setInterval(refresh, REFRESH_MS);
