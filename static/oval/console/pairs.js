/*
 * The console of a race skated in pairs (an individual distance, or a team pursuit's heats): the
 * pair bar (start, recall, next pair, the pair on screen) and the two lanes. main.js calls
 * `render` after every change and hands it the keyboard's shortcuts and Esc.
 */
import { h, LANES } from "../show.js";
import { cancel, record, write } from "./entry.js";
import { closeEditor, hint, renderLane, tickClocks } from "./lanes.js";
import { clearStale } from "./messages.js";
import { $, api, part, ui, viewed } from "./ui.js";

export { hint };
export const tick = tickClocks;

export function render() {
  renderPairBar();
  for (const lane of LANES) renderLane(lane);
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

const pairSubject = () => `${ui.viewPair}|${ui.state && ui.state.race.current_pair}|${viewed() && viewed().started_at}`;

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

export function wire() {
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
  $("show-pair").addEventListener("change", (e) => {
    ui.viewPair = Number(e.target.value);
    ui.followCurrent = ui.viewPair === ui.state.race.current_pair;
    ui.rerender();
  });
}

export const shortcuts = {
  s: () => startPair(false),
  n: () => moveTo(ui.state.race.current_pair + 1),
  i: () => part("inner", "time").focus(),
  o: () => part("outer", "time").focus(),
};

export function escape(target) {
  if (ui.editing && target.closest && target.closest("tr.editor")) {
    closeEditor();
    return true;
  }
  const lane = target.dataset && target.dataset.role === "time" ? target.closest(".lane").dataset.lane : null;
  return lane ? cancel(lane) : false;
}
