/*
 * One lane of the viewed pair: who skates it, her times, the correction editor, and where the
 * next time goes. The Point box follows the server's `next_point` (the first point without a
 * time) whenever her times change, so after a void or a correction it waits at the gap.
 */
import { diffText, h, laneClock, statusBadges } from "../show.js";
import { edit } from "./entry.js";
import { say } from "./messages.js";
import { part, ui, viewed } from "./ui.js";

const seen = {}; // lane -> what her passings looked like at the last render

export function renderLane(lane) {
  const pair = viewed();
  const start = pair && pair[lane];
  const entry = part(lane, "entry");
  const statusForm = part(lane, "status-form");
  for (const control of [...entry.elements, ...statusForm.elements]) control.disabled = !start;
  const key = start ? `${pair.number}|${start.passings.map((p) => `${p.id}`).join(",")}` : `${ui.viewPair}|none`;
  if (!start) {
    part(lane, "skater").textContent = "Nobody in this lane";
    part(lane, "members").textContent = "";
    part(lane, "status-line").replaceChildren();
    part(lane, "passings").replaceChildren();
    seen[lane] = key;
    return;
  }
  part(lane, "skater").textContent = `${start.name} (${start.nation})${start.invented ? " · demo" : ""}`;
  part(lane, "members").textContent = start.skaters ? start.skaters.join(" · ") : ""; // a team's skaters
  const line = part(lane, "status-line");
  line.replaceChildren(...statusBadges(start), start.status_reason ? ` ${start.status_reason}` : "");
  part(lane, "fall").textContent = start.fell ? "Clear fall" : "Mark fall";

  const select = part(lane, "point");
  const points = ui.state.race.points;
  if (select.options.length !== points.length) {
    select.replaceChildren(...points.map((pt) => Object.assign(h("option", null, `${pt} m`), { value: pt })));
  }
  if (seen[lane] !== key) {
    select.value = String(start.next_point ?? points[points.length - 1]);
    if (seen[lane] && seen[lane].split("|")[0] !== String(pair.number)) part(lane, "time").value = "";
    seen[lane] = key;
  }
  renderPassings(lane, start);
}

function renderPassings(lane, start) {
  const body = part(lane, "passings");
  const rows = [];
  for (const p of start.passings) {
    const button = Object.assign(h("button", "small", "Correct"), { type: "button" });
    button.addEventListener("click", () => openEditor(lane, p));
    const tr = h("tr", p.leads ? "leads" : "", [
      h("td", null, `${p.distance} m`), h("td", null, p.time), h("td", null, p.lap), h("td", null, p.rank),
      h("td", null, diffText(p)), h("td", null, button),
    ]);
    tr.dataset.point = p.distance;
    rows.push(tr);
    if (ui.editing && ui.editing.id === p.id) rows.push(editorRow(p));
  }
  const hadFocus = ui.editing && body.contains(document.activeElement) ? document.activeElement.dataset.role : null;
  body.replaceChildren(...rows);
  if (ui.editing && ui.editing.lane === lane && !start.passings.some((p) => p.id === ui.editing.id)) ui.editing = null;
  if (hadFocus) {
    const again = body.querySelector(`[data-role="${hadFocus}"]`);
    if (again) again.focus();
  }
}

/* The correction editor under a time: a passing's by default, a crossing's with its own `url` and `close`. */
export function editorRow(passing, { label = `${passing.distance} m: `, url = `/api/passings/${passing.id}`,
  close = closeEditor, columns = 6 } = {}) {
  const editing = ui.editing;
  const time = Object.assign(h("input"), { value: editing.time, placeholder: passing.exact });
  const reason = Object.assign(h("input"), { value: editing.reason, placeholder: "reason (required)", maxLength: 200 });
  time.setAttribute("aria-label", "Corrected time");
  reason.setAttribute("aria-label", "Reason");
  time.dataset.role = "edit-time";
  time.dataset.kind = "time";
  reason.dataset.role = "edit-reason";
  const message = h("p", "message", editing.message || "");
  message.setAttribute("role", "alert");
  message.dataset.role = "edit-message";
  if (editing.kind) message.dataset.kind = editing.kind;
  const show = (text, kind) => {
    Object.assign(ui.editing || {}, { message: text, kind });
    message.textContent = text;
    message.dataset.kind = kind;
  };
  const forget = () => {
    Object.assign(editing, { message: "", kind: "" });
    message.textContent = "";
    delete message.dataset.kind;
  };
  time.addEventListener("input", () => { editing.time = time.value; forget(); });
  reason.addEventListener("input", () => { editing.reason = reason.value; forget(); });
  const save = Object.assign(h("button", null, "Save correction"), { type: "submit" });
  const voidIt = Object.assign(h("button", null, "Void time"), { type: "button" });
  const cancel = Object.assign(h("button", null, "Cancel"), { type: "button" });
  const form = h("form", null, [label, time, reason, save, voidIt, cancel, message]);
  form.autocomplete = "off";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    edit(`${url}/correct`, { time: time.value.trim(), reason: reason.value }, show);
  });
  voidIt.addEventListener("click", () => edit(`${url}/void`, { reason: reason.value }, show));
  cancel.addEventListener("click", close);
  const td = h("td", null, form);
  td.colSpan = columns;
  return h("tr", "editor", td);
}

export function openEditor(lane, passing) {
  ui.editing = { id: passing.id, lane, time: passing.exact, reason: "", message: "", kind: "" };
  renderLane(lane);
  const input = part(lane, "passings").querySelector('[data-role="edit-time"]');
  if (input) {
    input.focus();
    input.select();
  }
}

export function closeEditor() {
  const lane = ui.editing && ui.editing.lane;
  ui.editing = null;
  if (lane) {
    renderLane(lane);
    part(lane, "time").focus();
  }
}

/* The viewed pair's running clocks, as the board shows them (show.js). */
export function tickClocks(now) {
  const pair = viewed();
  for (const lane of ["inner", "outer"]) {
    const el = document.querySelector(`#lane-${lane} [data-clock]`);
    const clock = pair && ui.state ? laneClock(ui.state.race, pair, pair[lane], now) : { text: "" };
    if (el.textContent !== clock.text) el.textContent = clock.text;
    el.classList.toggle("running", Boolean(clock.running));
  }
}

/* A refused keystroke's hint, under the field, until the next thing typed there or a move away. */
export function hint(field, text) {
  // A lane's or the crossing entry's hint line, or the correction editor's message.
  const where = field.closest("form").querySelector('[data-role="hint"], [data-role="edit-message"]');
  const value = field.value;
  say(where, text, "hint", () => (field.value === value && document.activeElement === field ? "same" : "moved"));
}
