/*
 * The officials' console: keyboard-first entry for one pair at a time.
 *
 * What it shows comes only from the live race (live.js: snapshot, then versioned updates), never
 * from its own guesses, so two officials at two desks always see the same committed state. What
 * it writes goes through the JSON API, like a device. What needs a confirmation, and where the
 * next time goes, the server decides (timing/rules/plausibility.py, the snapshot's next_point).
 *
 * The parts: ui.js (shared state), keys.js (the keyboard), entry.js (writing), lanes.js (a lane),
 * messages.js (messages that go when their subject changes), audit.js (the panel), send.js (HTTP).
 */
import { gettext, interpolate } from "../i18n.js";
import { follow } from "../live.js";
import { everyTenth, h, LANES, raceStateText, showStatus } from "../show.js";
import { refreshAudit } from "./audit.js";
import { cancel, record, write } from "./entry.js";
import { listen } from "./keys.js";
import { closeEditor, hint, renderLane, tickClocks } from "./lanes.js";
import { clearStale, say } from "./messages.js";
import { $, api, part, ui, viewed } from "./ui.js";

function render(state) {
  ui.state = state;
  const race = state.race;
  if (ui.followCurrent || ui.viewPair === null || !viewed()) ui.viewPair = race.current_pair;
  $("race-state").textContent = raceStateText(race.state);
  $("race-state-box").className = `race-state race-state-${race.state}`;
  $("race-version").textContent = state.version;
  $("open-race").hidden = race.state === "live";
  $("open-race").textContent = race.state === "final" ? gettext("Reopen race") : gettext("Open race (live)");
  $("close-race").hidden = race.state !== "live";
  $("replay-banner").hidden = race.replay_of === null || race.replay_of === undefined;
  renderPairBar();
  for (const lane of LANES) renderLane(lane);
  clearStale();
  refreshAudit(state.version);
}

function renderPairBar() {
  const state = ui.state;
  const pair = viewed();
  const isCurrent = ui.viewPair === state.race.current_pair;
  const started = Boolean(pair && pair.started_at !== null);
  $("pair-number").textContent = ui.viewPair;
  $("pair-current").hidden = !isCurrent;
  $("pair-not-current").hidden = isCurrent;
  $("pair-not-started").hidden = started;
  $("make-current").hidden = isCurrent;
  const hasTimes = LANES.some((l) => pair && pair[l] && pair[l].passings.length);
  $("start").disabled = !pair || started;
  $("restart").hidden = !started || hasTimes;
  const select = $("show-pair");
  if (select.options.length !== state.pairs.length) select.replaceChildren(...state.pairs.map(() => h("option")));
  state.pairs.forEach((p, i) => {
    const names = LANES.map((l) => (p[l] ? p[l].name : "—")).join(" / ");
    select.options[i].value = p.number;
    select.options[i].textContent = `${p.number}${p.number === state.race.current_pair ? " ▶" : ""}: ${names}`;
  });
  select.value = String(ui.viewPair);
}

function showConnection(status) {
  $("conn").dataset.status = status;
  showStatus($("conn-text"), status);
  if (status === "live") $("conn-text").textContent = gettext("connected");
}

const pairSubject = () => `${ui.viewPair}|${ui.state && ui.state.race.current_pair}|${viewed() && viewed().started_at}`;
const raceSubject = () => (ui.state ? ui.state.race.state : "");

function startPair(restart) {
  const pair = viewed();
  if (!pair || (!restart && pair.started_at !== null)) return;
  ui.followCurrent = true;
  write(api(`/pairs/${ui.viewPair}/start`), restart ? { restart: true } : {}, $("pair-message"), pairSubject);
  part("inner", "time").focus();
}

function moveTo(number) {
  ui.followCurrent = true;
  write(api("/current-pair"), { pair: number }, $("pair-message"), pairSubject);
}

function setState(target) {
  let reason = "";
  if (target === "final" && !window.confirm(gettext("Close the race? The results become final."))) return;
  if (ui.state.race.state === "final") {
    reason = window.prompt(gettext("Reason for reopening the race (goes into the audit trail):")) || "";
    if (!reason.trim()) return;
  }
  write(api("/state"), { state: target, reason }, $("race-message"), raceSubject);
}

/* The next race of the schedule onto the ice: a second press within 10 s confirms, then its console opens. */
const ARM_MS = 10000;
let nextArmedAt = -Infinity;
async function nextRace() {
  const message = $("race-message");
  if (performance.now() - nextArmedAt > ARM_MS) {
    nextArmedAt = performance.now();
    const title = $("next-race").dataset.title;
    const armed = nextArmedAt;
    say(message, interpolate(gettext("Put “%(title)s” on the ice? The venue's screens switch to it. Press again to confirm."), { title }, true), "warning",
      () => (performance.now() - armed > ARM_MS ? "expired" : raceSubject()));
    setTimeout(clearStale, ARM_MS + 50);
    return;
  }
  nextArmedAt = -Infinity;
  const url = `/api/competitions/${ui.root.dataset.competition}/on-ice`;
  const res = await write(url, { race: Number(ui.root.dataset.nextRace) }, message, raceSubject);
  if (res.ok) window.location.assign(ui.root.dataset.nextUrl);
}

for (const lane of LANES) {
  part(lane, "entry").addEventListener("submit", (e) => {
    e.preventDefault();
    record(lane);
  });
  part(lane, "time").addEventListener("input", clearStale);
  part(lane, "point").addEventListener("change", clearStale);
  part(lane, "status-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const status = part(lane, "status");
    const reason = part(lane, "reason");
    const subject = () => `${ui.viewPair}|${status.value}|${reason.value}`;
    const body = { pair: ui.viewPair, lane, status: status.value, reason: reason.value };
    write(api("/status"), body, part(lane, "status-message"), subject, reason).then((res) => {
      if (res.ok) reason.value = "";
    });
  });
  for (const role of ["status", "reason"]) part(lane, role).addEventListener("input", clearStale);
  part(lane, "fall").addEventListener("click", () => {
    const start = viewed()[lane];
    const subject = () => `${ui.viewPair}|${viewed()[lane] && viewed()[lane].fell}`;
    write(api("/fall"), { pair: ui.viewPair, lane, fell: !start.fell }, part(lane, "status-message"), subject);
  });
}
$("start").addEventListener("click", () => startPair(false));
$("restart").addEventListener("click", () => startPair(true));
$("next-pair").addEventListener("click", () => moveTo(ui.state.race.current_pair + 1));
$("make-current").addEventListener("click", () => moveTo(ui.viewPair));
$("open-race").addEventListener("click", () => setState("live"));
$("close-race").addEventListener("click", () => setState("final"));
if ($("next-race")) $("next-race").addEventListener("click", nextRace);
$("show-pair").addEventListener("change", (e) => {
  ui.viewPair = Number(e.target.value);
  ui.followCurrent = ui.viewPair === ui.state.race.current_pair;
  render(ui.state);
});

// A hint is about the field being typed in: moving away ends it.
for (const event of ["focusin", "focusout"]) document.addEventListener(event, () => setTimeout(clearStale));

const once = (action) => () => ui.state && action(); // nothing to act on before the first snapshot
listen({
  shortcuts: {
    s: once(() => startPair(false)),
    n: once(() => moveTo(ui.state.race.current_pair + 1)),
    i: once(() => part("inner", "time").focus()),
    o: once(() => part("outer", "time").focus()),
  },
  escape(target) {
    if (ui.editing && target.closest && target.closest("tr.editor")) {
      closeEditor();
      return true;
    }
    const lane = target.dataset && target.dataset.role === "time" ? target.closest(".lane").dataset.lane : null;
    return lane ? cancel(lane) : false;
  },
  hint,
});

ui.live = follow(ui.raceId, { onState: render, onStatus: showConnection });
everyTenth(() => tickClocks(ui.live.clock.now()));
