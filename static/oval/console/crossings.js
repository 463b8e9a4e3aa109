/*
 * The console of a mass start: one entry for every crossing of the line (the bib, then the time
 * from the start; the server counts the laps and refuses a bib that is not in the start list),
 * the latest crossings with their corrections and voids, and the running order, laps and sprint
 * points exactly as the server computed them (timing/rules/mass_start.py). The start signal is
 * the race's one pair's, as for every kind.
 */
import { massClock } from "../board_mass_start.js";
import { gettext, interpolate, ngettext } from "../i18n.js";
import { h, minus, statusBadges } from "../show.js";
import { cancel, send, sending, write } from "./entry.js";
import { editorRow, hint } from "./lanes.js";
import { clearStale, say } from "./messages.js";
import { $, api, ui } from "./ui.js";

export { hint };

const SLOT = "crossing";
const SHOWN = 40; // latest crossings listed
let inFlight = ""; // the fingerprint of the crossing being delivered

const pair = () => ui.state.pairs[0];
const started = () => Boolean(pair() && pair().started_at !== null);

export function render() {
  const state = ui.state;
  const anyCrossing = state.skaters.some((s) => s.crossings.length);
  $("mass-not-started").hidden = started();
  $("start").disabled = !pair() || started();
  $("restart").hidden = !started() || anyCrossing;
  $("laps-to-go").textContent = state.laps_to_go;
  $("laps-to-go-label").textContent = ngettext("lap to go", "laps to go", state.laps_to_go);
  const next = state.next_sprint;
  const where = next === state.race.laps ? gettext("the finish") : interpolate(gettext("lap %(lap)s"), { lap: next }, true);
  $("next-sprint").textContent = next ? interpolate(gettext("next sprint: %(where)s"), { where }, true) : "";
  renderCrossings();
  renderRunning();
}

/* Every current crossing, the latest in the race first (a correction keeps its place). */
function latest() {
  const rows = ui.state.skaters.flatMap((s) => s.crossings.map((c) => ({ ...c, bib: s.bib, name: s.name })));
  rows.sort((a, b) => b.time_ms - a.time_ms || b.id - a.id);
  return rows.slice(0, SHOWN);
}

function renderCrossings() {
  const body = $("crossing-rows");
  const active = body.contains(document.activeElement) ? document.activeElement : null;
  const focused = active ? { id: active.dataset.crossing, role: active.dataset.role } : null;
  const rows = [];
  const shown = latest();
  for (const c of shown) {
    const button = Object.assign(h("button", "small", gettext("Correct")), { type: "button" });
    button.dataset.crossing = c.id;
    button.dataset.role = "correct";
    button.addEventListener("click", () => openEditor(c));
    const tr = h("tr", null, [h("td", "bib", c.bib), h("td", null, c.name), h("td", null, c.lap),
      h("td", "time", c.time), h("td", null, button)]);
    tr.dataset.crossing = c.id;
    tr.dataset.bib = c.bib;
    rows.push(tr);
    if (ui.editing && ui.editing.id === c.id) {
      rows.push(editorRow(c, {
        label: interpolate(gettext("Bib %(bib)s, lap %(lap)s: "), { bib: c.bib, lap: c.lap }, true), url: `/api/crossings/${c.id}`, close: closeEditor, columns: 5,
      }));
    }
  }
  if (ui.editing && !shown.some((c) => c.id === ui.editing.id)) ui.editing = null;
  body.replaceChildren(...rows);
  if (!focused) return;
  // New crossings arrive all the time: the focus stays on what she was on.
  const again = focused.role && focused.role.startsWith("edit")
    ? body.querySelector(`tr.editor [data-role="${focused.role}"]`)
    : body.querySelector(`[data-crossing="${focused.id}"][data-role="correct"]`);
  (again || $("bib")).focus();
}

function openEditor(crossing) {
  ui.editing = { id: crossing.id, lane: null, time: crossing.exact, reason: "", message: "", kind: "" };
  renderCrossings();
  const input = $("crossing-rows").querySelector('[data-role="edit-time"]');
  if (input) {
    input.focus();
    input.select();
  }
}

function closeEditor() {
  ui.editing = null;
  renderCrossings();
  $("bib").focus();
}

function renderRunning() {
  const state = ui.state;
  const skaters = new Map(state.skaters.map((s) => [s.bib, s]));
  const rows = state.running_order.map((bib, i) => {
    const s = skaters.get(bib);
    const leads = i === 0 && s.laps_done > 0;
    const behind = s.laps_down
      ? `−${interpolate(ngettext("%(n)s lap", "%(n)s laps", s.laps_down), { n: s.laps_down }, true)}`
      : leads ? "" : minus(s.behind) || "";
    const tr = h("tr", leads ? "leads" : "", [h("td", null, i + 1), h("td", "bib", s.bib), h("td", null, s.name),
      h("td", "laps", s.laps_done), h("td", null, behind), h("td", "points", s.points ? `${s.points}` : "")]);
    tr.dataset.bib = s.bib;
    return tr;
  });
  for (const s of state.skaters.filter((x) => x.status !== "OK")) {
    const tr = h("tr", "out", [h("td", null, ""), h("td", "bib", s.bib), h("td", null, s.name),
      h("td", "laps", s.laps_done), h("td", null, [...statusBadges(s), s.status_reason ? ` ${s.status_reason}` : ""]),
      h("td", "points", s.points ? `${s.points}` : "")]);
    tr.dataset.bib = s.bib;
    rows.push(tr);
  }
  $("running-rows").replaceChildren(...rows);
}

const typed = () => `${$("bib").value.trim()}|${$("crossing-time").value.trim()}`;

async function record() {
  const bibField = $("bib");
  const timeField = $("crossing-time");
  const message = $("crossing-message");
  const bib = bibField.value.trim();
  const time = timeField.value.trim();
  const body = { bib: Number(bib), time };
  if (sending(SLOT)) {
    // A double Enter is the same entry; a new one waits until the last is stored or stopped.
    if (JSON.stringify(body) !== inFlight) {
      say(message, gettext("The crossing before is not stored yet: wait for it (or press Esc to stop it), then press Enter again."),
        "error", typed, timeField);
    }
    return;
  }
  if (!bib) {
    say(message, gettext("Type the bib first, such as 7."), "error", typed, bibField);
    bibField.focus();
    return;
  }
  if (!time) {
    say(message, gettext("Type the time from the start, such as 2:05.31."), "error", typed, timeField);
    timeField.focus();
    return;
  }
  inFlight = JSON.stringify(body);
  await send(SLOT, {
    url: api("/crossings"), body, what: interpolate(gettext("bib %(bib)s at %(time)s"), { bib, time }, true), message, subject: typed,
    field: (name) => (name === "bib" ? bibField : timeField), // a refused bib is marked, not the time
    saved(res) {
      const c = res.data.crossing;
      const same = bibField.value.trim() === bib && timeField.value.trim() === time;
      if (same) {
        bibField.value = "";
        timeField.value = "";
        if (document.activeElement === timeField) bibField.focus();
      }
      say(message, interpolate(gettext("Saved lap %(lap)s for bib %(bib)s (%(skater)s) at %(time)s."),
        { lap: c.lap, bib: c.bib, skater: c.skater, time: c.time }, true), "saved", typed, timeField);
    },
  });
}

function startRace(restart) {
  if (!pair() || (!restart && started())) return;
  const subject = () => `${ui.state.race.state}|${pair() && pair().started_at}`;
  write(api(`/pairs/${pair().number}/start`), restart ? { restart: true } : {}, $("pair-message"), subject);
  $("bib").focus();
}

export function wire() {
  $("crossing-form").addEventListener("submit", (e) => {
    e.preventDefault();
    record();
  });
  // Enter in the bib field goes on to the time, as Tab does: the time's Enter stores the crossing.
  $("bib").addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    if (!$("bib").value.trim()) {
      say($("crossing-message"), gettext("Type the bib first, such as 7."), "error", typed, $("bib"));
      return;
    }
    $("crossing-time").focus();
  });
  for (const id of ["bib", "crossing-time"]) $(id).addEventListener("input", clearStale);
  $("bib-status-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const bib = $("status-bib");
    const status = $("status-value");
    const reason = $("status-reason");
    const subject = () => `${bib.value}|${status.value}|${reason.value}`;
    const body = { bib: Number(bib.value.trim()), status: status.value, reason: reason.value };
    write(api("/bib-status"), body, $("status-message"), subject, reason).then((res) => {
      if (res.ok) reason.value = "";
    });
  });
  for (const id of ["status-bib", "status-value", "status-reason"]) $(id).addEventListener("input", clearStale);
  $("start").addEventListener("click", () => startRace(false));
  $("restart").addEventListener("click", () => startRace(true));
}

export const shortcuts = {
  s: () => startRace(false),
  b: () => $("bib").focus(),
};

export function escape(target) {
  if (ui.editing && target.closest && target.closest("tr.editor")) {
    closeEditor();
    return true;
  }
  return target.id === "bib" || target.id === "crossing-time" ? cancel(SLOT, $("crossing-message")) : false;
}

export function tick(now) {
  const el = $("mass-clock");
  const text = ui.state ? massClock(ui.state, now) : "0.0";
  if (el.textContent !== text) el.textContent = text;
  el.classList.toggle("running", Boolean(ui.state && started() && ui.state.race.state === "live" && ui.state.laps_to_go > 0));
}
