/*
 * The officials' console: keyboard-first entry, pair by pair (pairs.js: an individual distance or
 * a team pursuit's heats) or crossing by crossing (crossings.js: a mass start).
 *
 * What it shows comes only from the live race (live.js: snapshot, then versioned updates), never
 * from its own guesses, so two officials at two desks always see the same committed state. What
 * it writes goes through the JSON API, like a device. What needs a confirmation, and where the
 * next time goes, the server decides (timing/rules/plausibility.py, the snapshot's next_point).
 *
 * The parts: ui.js (shared state), keys.js (the keyboard), entry.js (writing), lanes.js (a lane),
 * held.js (device splits waiting for an official), messages.js (messages that go when their
 * subject changes), audit.js (the panel), send.js (HTTP). This file: the race bar and the wiring.
 */
import { follow } from "../live.js";
import { everyTenth, showStatus } from "../show.js";
import { refreshAudit } from "./audit.js";
import * as crossings from "./crossings.js";
import { write } from "./entry.js";
import * as held from "./held.js";
import { listen } from "./keys.js";
import { clearStale, say } from "./messages.js";
import * as pairs from "./pairs.js";
import { $, api, ui, viewed } from "./ui.js";

const view = ui.kind === "mass_start" ? crossings : pairs;

function render(state) {
  ui.state = state;
  const race = state.race;
  if (ui.followCurrent || ui.viewPair === null || !viewed()) ui.viewPair = race.current_pair;
  $("race-state").textContent = race.state;
  $("race-state-box").className = `race-state race-state-${race.state}`;
  $("race-version").textContent = state.version;
  $("open-race").hidden = race.state === "live";
  $("open-race").textContent = race.state === "final" ? "Reopen race" : "Open race (live)";
  $("close-race").hidden = race.state !== "live";
  $("replay-banner").hidden = race.replay_of === null || race.replay_of === undefined;
  view.render();
  held.refresh(state);
  clearStale();
  refreshAudit(state.version);
}
ui.rerender = () => render(ui.state);

function showConnection(status) {
  $("conn").dataset.status = status;
  showStatus($("conn-text"), status);
  if (status === "live") $("conn-text").textContent = "connected";
}

const raceSubject = () => (ui.state ? ui.state.race.state : "");

function setState(target) {
  let reason = "";
  if (target === "final" && !window.confirm("Close the race? The results become final.")) return;
  if (ui.state.race.state === "final") {
    reason = window.prompt("Reason for reopening the race (goes into the audit trail):") || "";
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
    const title = $("next-race").textContent.replace(/^Next race: /, "");
    const armed = nextArmedAt;
    say(message, `Put “${title}” on the ice? The venue's screens switch to it. Press again to confirm.`, "warning",
      () => (performance.now() - armed > ARM_MS ? "expired" : raceSubject()));
    setTimeout(clearStale, ARM_MS + 50);
    return;
  }
  nextArmedAt = -Infinity;
  const url = `/api/competitions/${ui.root.dataset.competition}/on-ice`;
  const res = await write(url, { race: Number(ui.root.dataset.nextRace) }, message, raceSubject);
  if (res.ok) window.location.assign(ui.root.dataset.nextUrl);
}

view.wire();
held.wire();
$("open-race").addEventListener("click", () => setState("live"));
$("close-race").addEventListener("click", () => setState("final"));
if ($("next-race")) $("next-race").addEventListener("click", nextRace);

// A hint is about the field being typed in: moving away ends it.
for (const event of ["focusin", "focusout"]) document.addEventListener(event, () => setTimeout(clearStale));

const once = (action) => () => ui.state && action(); // nothing to act on before the first snapshot
listen({
  shortcuts: Object.fromEntries(Object.entries({ ...view.shortcuts, h: held.focus }).map(([k, a]) => [k, once(a)])),
  escape: (target) => held.escape(target) || view.escape(target),
  hint: view.hint,
});

ui.live = follow(ui.raceId, { onState: render, onStatus: showConnection });
everyTenth(() => {
  const now = ui.live.clock.now();
  view.tick(now);
  held.tick(now);
});
