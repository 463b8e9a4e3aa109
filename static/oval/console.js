/*
 * The officials' console: keyboard-first entry for one pair at a time.
 *
 * What it shows comes only from the live race (live.js: snapshot, then versioned updates), never
 * from its own guesses, so two officials at two desks always see the same committed state. What
 * it writes goes through the JSON API; an entry carries an Idempotency-Key that stays the same
 * until the entry is confirmed, so a double Enter or a retry never stores a time twice.
 */
import { follow } from "./live.js";
import { newKey, post } from "./console.api.js";

const LANES = ["inner", "outer"];
const root = document.getElementById("console");
const raceId = Number(root.dataset.race);
const api = `/api/races/${raceId}`;
const $ = (id) => document.getElementById(id);
const part = (lane, role) => $(`lane-${lane}`).querySelector(`[data-role="${role}"]`);

let state = null;
let viewPair = null; // the pair on screen; follows the race's current pair unless the official picks another
let followCurrent = true;
let laneKeys = {}; // lane -> what its passings looked like at the last render
const entries = {}; // lane -> {fingerprint, key} of the entry not yet confirmed
let editing = null; // {id, lane, time, reason} of the open correction
let auditVersion = -1;

const live = follow(raceId, { onState: render, onStatus: showConnection });

function text(el, value) {
  el.textContent = value == null ? "" : String(value);
}

function el(tag, content, className) {
  const node = document.createElement(tag);
  if (content != null) node.textContent = content;
  if (className) node.className = className;
  return node;
}

function showError(target, res, input) {
  text(target, res ? res.data.error : "");
  if (input) input.setAttribute("aria-invalid", res ? "true" : "false");
}

function showConnection(status) {
  const conn = $("conn");
  text(conn, status === "live" ? "live" : status === "connecting" ? "connecting…" : "reconnecting… (data may be stale)");
  conn.className = `conn conn-${status}`;
  conn.dataset.status = status;
}

/* After a write, the socket should bring its version soon; if it does not, ask for the snapshot. */
function expect(version) {
  setTimeout(() => {
    if (live.state && live.state.version < version) live.resync();
  }, 800);
}

function pairOf(number) {
  return state && state.pairs.find((p) => p.number === number);
}

function nextPoint(start) {
  const done = new Set(start.passings.map((p) => p.distance));
  const last = Math.max(0, ...done);
  return state.race.points.find((pt) => pt > last) ?? null;
}

// --- rendering -----------------------------------------------------------------------------

function render(newState) {
  state = newState;
  const race = state.race;
  if (followCurrent || viewPair === null || !pairOf(viewPair)) viewPair = race.current_pair;
  text($("race-state"), race.state);
  $("race-state").className = `state state-${race.state}`;
  text($("race-version"), state.version);
  $("open-race").hidden = race.state === "live";
  text($("open-race"), race.state === "final" ? "Reopen race" : "Open race (live)");
  $("close-race").hidden = race.state !== "live";
  renderPairBar();
  const pair = pairOf(viewPair);
  for (const lane of LANES) renderLane(lane, pair, pair && pair[lane]);
  if (state.version !== auditVersion) refreshAudit(state.version);
}

function renderPairBar() {
  const pair = pairOf(viewPair);
  const isCurrent = viewPair === state.race.current_pair;
  text($("pair-number"), viewPair);
  $("pair-current").hidden = !isCurrent;
  $("make-current").hidden = isCurrent;
  const hasTimes = LANES.some((l) => pair && pair[l] && pair[l].passings.length);
  $("start").disabled = !pair || pair.started_at !== null;
  $("restart").hidden = !pair || pair.started_at === null || hasTimes;
  const select = $("show-pair");
  if (select.options.length !== state.pairs.length) {
    select.replaceChildren(...state.pairs.map((p) => el("option", "", "")));
  }
  state.pairs.forEach((p, i) => {
    const names = LANES.map((l) => (p[l] ? p[l].name : "—")).join(" / ");
    const option = select.options[i];
    option.value = p.number;
    text(option, `${p.number}${p.number === state.race.current_pair ? " ▶" : ""}: ${names}`);
  });
  select.value = String(viewPair);
}

function renderLane(lane, pair, start) {
  const entry = part(lane, "entry");
  const statusForm = part(lane, "status-form");
  const key = start ? `${pair.number}|${start.passings.map((p) => `${p.id}`).join(",")}` : `${viewPair}|none`;
  for (const control of [...entry.elements, ...statusForm.elements]) control.disabled = !start;
  if (!start) {
    text(part(lane, "skater"), "Nobody in this lane");
    text(part(lane, "status-line"), "");
    part(lane, "passings").replaceChildren();
    laneKeys[lane] = key;
    return;
  }
  text(part(lane, "skater"), `${start.name} (${start.nation})${start.invented ? " · demo" : ""}`);
  const marks = [];
  if (start.status !== "OK") marks.push(start.status + (start.status_reason ? `: ${start.status_reason}` : ""));
  if (start.fell) marks.push("fell");
  text(part(lane, "status-line"), marks.join(" · "));
  part(lane, "status-line").className = `status-line${marks.length ? " flagged" : ""}`;
  text(part(lane, "fall"), start.fell ? "Clear fall" : "Mark fall");

  const select = part(lane, "point");
  const points = state.race.points;
  if (select.options.length !== points.length) {
    select.replaceChildren(...points.map((pt) => Object.assign(el("option", `${pt} m`), { value: pt })));
  }
  if (laneKeys[lane] !== key) {
    const next = nextPoint(start);
    select.value = String(next ?? points[points.length - 1]);
    if (laneKeys[lane] && laneKeys[lane].split("|")[0] !== String(pair.number)) {
      part(lane, "time").value = "";
      showError(part(lane, "error"), null, part(lane, "time"));
    }
    laneKeys[lane] = key;
  }
  renderPassings(lane, start);
}

function renderPassings(lane, start) {
  const body = part(lane, "passings");
  const rows = [];
  for (const p of start.passings) {
    const tr = el("tr", null, p.leads ? "leads" : "");
    for (const value of [`${p.distance} m`, p.time, p.lap, p.rank, p.diff]) tr.append(el("td", value));
    const cell = el("td");
    const button = el("button", "Correct", "small");
    button.type = "button";
    button.addEventListener("click", () => openEditor(lane, p));
    cell.append(button);
    tr.append(cell);
    rows.push(tr);
    if (editing && editing.id === p.id) rows.push(editorRow(lane, p));
  }
  const hadFocus = editing && body.contains(document.activeElement) ? document.activeElement.dataset.role : null;
  body.replaceChildren(...rows);
  if (editing && !start.passings.some((p) => p.id === editing.id) && editing.lane === lane) editing = null;
  if (hadFocus) {
    const again = body.querySelector(`[data-role="${hadFocus}"]`);
    if (again) again.focus();
  }
}

function editorRow(lane, passing) {
  const tr = el("tr", null, "editor");
  const td = el("td");
  td.colSpan = 6;
  const form = el("form");
  form.autocomplete = "off";
  const time = Object.assign(el("input"), { value: editing.time, placeholder: passing.time });
  const reason = Object.assign(el("input"), { value: editing.reason, placeholder: "reason (required)", maxLength: 200 });
  time.setAttribute("aria-label", "Corrected time");
  reason.setAttribute("aria-label", "Reason");
  time.dataset.role = "edit-time";
  reason.dataset.role = "edit-reason";
  time.addEventListener("input", () => (editing.time = time.value));
  reason.addEventListener("input", () => (editing.reason = reason.value));
  const save = Object.assign(el("button", "Save correction"), { type: "submit" });
  const voidIt = Object.assign(el("button", "Void time"), { type: "button" });
  const cancel = Object.assign(el("button", "Cancel"), { type: "button" });
  const error = el("p", editing.error || "", "error");
  error.setAttribute("role", "alert");
  form.append(`${passing.distance} m: `, time, reason, save, voidIt, cancel, error);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    write(`/api/passings/${passing.id}/correct`, { time: time.value.trim(), reason: reason.value }, error, time);
  });
  voidIt.addEventListener("click", () => write(`/api/passings/${passing.id}/void`, { reason: reason.value }, error, reason));
  cancel.addEventListener("click", closeEditor);
  td.append(form);
  tr.append(td);
  return tr;
}

/* The stored time to the thousandth: the board's hundredths would silently change it on save. */
function exact(ms) {
  const minutes = Math.floor(ms / 60000);
  const seconds = ((ms % 60000) / 1000).toFixed(3);
  return minutes ? `${minutes}:${seconds.padStart(6, "0")}` : seconds;
}

function openEditor(lane, passing) {
  editing = { id: passing.id, lane, time: exact(passing.time_ms), reason: "", error: "" };
  render(state);
  const input = part(lane, "passings").querySelector('[data-role="edit-time"]');
  if (input) {
    input.focus();
    input.select();
  }
}

function closeEditor() {
  const lane = editing && editing.lane;
  editing = null;
  render(state);
  if (lane) part(lane, "time").focus();
}

function tick() {
  const pair = state && pairOf(viewPair);
  let shown = "0.0";
  if (pair && pair.started_at !== null) {
    const finishes = LANES.map((l) => pair[l]).filter(Boolean).map((s) => {
      const last = s.passings[s.passings.length - 1];
      if (last && last.distance === state.race.distance) return last.time_ms;
      return s.status !== "OK" ? 0 : null;
    });
    const done = finishes.length && finishes.every((t) => t !== null);
    const ms = done ? Math.max(...finishes) : Math.max(0, live.clock.now() - pair.started_at);
    const tenths = Math.floor(ms / 100);
    const minutes = Math.floor(tenths / 600);
    const seconds = ((tenths % 600) / 10).toFixed(1);
    shown = minutes ? `${minutes}:${seconds.padStart(4, "0")}` : seconds;
  }
  text($("clock"), shown);
}
setInterval(tick, 100);

// --- audit panel -----------------------------------------------------------------------------

let auditTimer = null;
function refreshAudit(version) {
  clearTimeout(auditTimer);
  auditTimer = setTimeout(async () => {
    const response = await fetch(root.dataset.auditUrl, { cache: "no-store", credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return;
    const data = await response.json();
    auditVersion = Math.max(auditVersion, data.version, version);
    const rows = data.changes.map((c) => {
      const tr = el("tr");
      const where = [c.pair ? `pair ${c.pair}` : "", c.lane, c.distance ? `${c.distance} m` : ""].filter(Boolean).join(" ");
      const from = c.source + (c.device && c.source !== "official" && c.device !== c.source ? ` (${c.device})` : "");
      const at = new Date(c.at).toLocaleTimeString([], { hour12: false });
      for (const v of [c.version, at, c.who, from, c.action, where, c.old_value, c.new_value, c.reason]) tr.append(el("td", v));
      return tr;
    });
    if (!rows.length) rows.push(el("tr", "No changes yet."));
    document.querySelector("#audit-table tbody").replaceChildren(...rows);
  }, 250);
}

// --- writing -------------------------------------------------------------------------------

async function write(url, body, errorEl, input, key) {
  const res = await post(url, body, key);
  if (res.ok) {
    if (editing && url.startsWith("/api/passings/")) editing = null;
    showError(errorEl, null, input);
    expect(res.data.version);
  } else {
    if (editing && url.startsWith("/api/passings/")) editing.error = res.data.error;
    showError(errorEl, res, input);
  }
  return res;
}

async function record(lane) {
  const input = part(lane, "time");
  const select = part(lane, "point");
  const error = part(lane, "error");
  const time = input.value.trim();
  if (!time) {
    showError(error, { data: { error: "Type a time first, such as 17.68 or 1:12.31." } }, input);
    return;
  }
  const body = { pair: viewPair, lane, distance: Number(select.value), time };
  const fingerprint = JSON.stringify(body);
  if (!entries[lane] || entries[lane].fingerprint !== fingerprint) entries[lane] = { fingerprint, key: newKey() };
  const { key } = entries[lane];
  const res = await write(`${api}/passings`, body, error, input, key);
  if (res.ok && entries[lane] && entries[lane].key === key) {
    entries[lane] = null;
    if (input.value.trim() === time) input.value = "";
    const after = state.race.points.find((pt) => pt > res.data.passing.distance);
    if (after) select.value = String(after);
  }
}

function startPair(restart) {
  if (!state) return;
  const pair = pairOf(viewPair);
  if (!restart && (!pair || pair.started_at !== null)) return;
  followCurrent = true;
  write(`${api}/pairs/${viewPair}/start`, restart ? { restart: true } : {}, $("pair-error"));
  part("inner", "time").focus();
}

function moveTo(number) {
  followCurrent = true;
  write(`${api}/current-pair`, { pair: number }, $("pair-error"));
}

function setState(target) {
  let reason = "";
  if (target === "final" && !window.confirm("Close the race? The results become final.")) return;
  if (state.race.state === "final") {
    reason = window.prompt("Reason for reopening the race (goes into the audit trail):") || "";
    if (!reason.trim()) return;
  }
  write(`${api}/state`, { state: target, reason }, $("race-error"));
}

for (const lane of LANES) {
  part(lane, "entry").addEventListener("submit", (e) => {
    e.preventDefault();
    record(lane);
  });
  part(lane, "status-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const body = { pair: viewPair, lane, status: part(lane, "status").value, reason: part(lane, "reason").value };
    write(`${api}/status`, body, part(lane, "status-error"), part(lane, "reason")).then((res) => {
      if (res.ok) part(lane, "reason").value = "";
    });
  });
  part(lane, "fall").addEventListener("click", () => {
    const start = pairOf(viewPair)[lane];
    write(`${api}/fall`, { pair: viewPair, lane, fell: !start.fell }, part(lane, "status-error"));
  });
}
$("start").addEventListener("click", () => startPair(false));
$("restart").addEventListener("click", () => startPair(true));
$("next-pair").addEventListener("click", () => moveTo(state.race.current_pair + 1));
$("make-current").addEventListener("click", () => moveTo(viewPair));
$("open-race").addEventListener("click", () => setState("live"));
$("close-race").addEventListener("click", () => setState("final"));
$("show-pair").addEventListener("change", (e) => {
  viewPair = Number(e.target.value);
  followCurrent = viewPair === state.race.current_pair;
  render(state);
});

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || !state) return;
  const typing = e.target.closest && e.target.closest("input, select, textarea");
  if (e.key === "Escape") {
    if (editing) closeEditor();
    else if (typing) e.target.blur();
    return;
  }
  // A time never holds a letter, so in a time field the letter keys stay shortcuts: an official
  // who presses O while the inner field has focus means the outer lane, not "O" in a time.
  const inTime = typing && e.target.dataset.role === "time";
  if (typing && !(inTime && /^[a-z]$/i.test(e.key))) return;
  const key = e.key.toLowerCase();
  const actions = {
    s: () => startPair(false),
    n: () => moveTo(state.race.current_pair + 1),
    i: () => part("inner", "time").focus(),
    o: () => part("outer", "time").focus(),
  };
  if (actions[key]) {
    e.preventDefault();
    actions[key]();
  } else if (inTime) {
    e.preventDefault();
  }
});
