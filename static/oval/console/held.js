/*
 * Held splits: device times that no single measuring point fits (timing/rules/assign.py), kept
 * off the board until an official places or discards them. It is an alarm, so the panel stands
 * out above the lanes while any wait.
 *
 * The snapshot counts them (race.held), so the list is fetched when that count moves, or when the
 * race moves while some wait (what was placed by itself, what another desk did): never by polling.
 * Keys: H focuses the oldest; on a held split, 1–9 places it at that candidate point (Enter on a
 * point's button too), D asks for the discard's reason (Enter discards, Esc goes back). A split
 * that fits no point offers every point, the skater's next one first chosen (the server's next_point).
 */
import { gettext, interpolate, ngettext } from "../i18n.js";
import { h, pairByNumber } from "../show.js";
import { cancel, send, sending } from "./entry.js";
import { clearStale, say } from "./messages.js";
import { $, api, laneName, ui, where } from "./ui.js";

let rows = []; // the open held splits, oldest first, as last fetched
let fetched = -1; // the race version they were fetched at
let wanted = -1;
let fetching = false;
let discarding = null; // {id, reason} while a discard's reason is being typed

const panel = () => $("held-panel");
const message = () => $("held-message");

export function refresh(state) {
  const count = state.race.held || 0;
  if (count === rows.length && (count === 0 || state.version <= fetched)) return;
  load(state.version);
}

async function load(version) {
  wanted = Math.max(wanted, version);
  if (fetching) return;
  fetching = true;
  try {
    while (fetched < wanted) {
      const response = await fetch(api("/held"), { cache: "no-store", credentials: "same-origin" }).catch(() => null);
      if (!response || !response.ok) break; // the race's next change asks again
      const data = await response.json();
      rows = data.held;
      fetched = Math.max(fetched, data.version);
      draw();
    }
  } finally {
    fetching = false;
  }
}

function skaterOf(held) {
  const pair = ui.state && pairByNumber(ui.state, held.pair);
  return pair && pair[held.lane];
}

function pointButton(held, point, n) {
  const button = Object.assign(h("button", "point", [h("kbd", null, n), ` ${point} m`]), { type: "button" });
  button.dataset.role = `place-${n}`;
  button.addEventListener("click", () => place(held, point));
  return button;
}

/* No point fits: every point of the race, the skater's next one chosen; Enter places it there. */
function pointChooser(held) {
  const select = h("select", null, ui.state.race.points.map((pt) => Object.assign(h("option", null, `${pt} m`), { value: pt })));
  select.dataset.role = "choose";
  select.setAttribute("aria-label", gettext("Place at point"));
  const start = skaterOf(held);
  if (start && start.next_point) select.value = String(start.next_point);
  select.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    place(held, Number(select.value));
  });
  const button = Object.assign(h("button", "point", gettext("Place")), { type: "button" });
  button.dataset.role = "place-chosen";
  button.addEventListener("click", () => place(held, Number(select.value)));
  return [h("span", "none-fits", gettext("no point fits: ")), select, button];
}

function discardCell(held) {
  if (!discarding || discarding.id !== held.id) {
    const button = Object.assign(h("button", "small", [h("kbd", null, "D"), ` ${gettext("Discard")}`]), { type: "button" });
    button.dataset.role = "discard";
    button.addEventListener("click", () => openDiscard(held));
    return button;
  }
  const reason = Object.assign(h("input"), { value: discarding.reason, placeholder: gettext("reason (required)"), maxLength: 200 });
  reason.dataset.role = "discard-reason";
  reason.setAttribute("aria-label", gettext("Why discard it"));
  reason.addEventListener("input", () => {
    discarding.reason = reason.value;
    clearStale();
  });
  const go = Object.assign(h("button", "small", gettext("Discard")), { type: "submit" });
  const form = h("form", "discard", [reason, go]);
  form.autocomplete = "off";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    discard(held, reason.value);
  });
  return form;
}

function arrived(held, now) {
  const seconds = Math.max(0, Math.round((now - held.received_at) / 1000));
  return seconds < 90 ? interpolate(gettext("%(n)s s ago"), { n: seconds }, true)
    : interpolate(gettext("%(n)s min ago"), { n: Math.round(seconds / 60) }, true);
}

function draw() {
  const body = $("held-rows");
  const active = body.contains(document.activeElement) ? document.activeElement : null;
  const focused = active ? { id: Number(active.closest("tr").dataset.held), role: active.dataset.role } : null;
  if (discarding && !rows.some((r) => r.id === discarding.id)) discarding = null;
  const now = ui.live ? ui.live.clock.now() : Date.now();
  body.replaceChildren(...rows.map((held) => {
    const tr = h("tr", null, [
      h("td", null, held.pair), h("td", null, laneName(held.lane)),
      h("td", null, held.skater), h("td", "time", held.time),
      h("td", "fits", held.fits.length ? held.fits.map((pt, i) => pointButton(held, pt, i + 1)) : pointChooser(held)),
      h("td", "arrived", arrived(held, now)),
      h("td", null, discardCell(held)),
    ]);
    tr.dataset.held = held.id;
    tr.title = held.reason;
    return tr;
  }));
  panel().hidden = rows.length === 0;
  $("held-count").textContent = interpolate(ngettext("%(n)s held split", "%(n)s held splits", rows.length), { n: rows.length }, true);
  if (!focused) return;
  // The focus stays with the split she was on, or moves on to the next one waiting.
  const row = body.querySelector(`tr[data-held="${focused.id}"]`);
  const again = row ? row.querySelector(`[data-role="${focused.role}"]`) || firstControl(row) : firstControl(body);
  if (again) again.focus();
}

// A button first: a split no point fits offers "Place" at the skater's next point, ready for Enter.
const firstControl = (el) => el.querySelector("button") || el.querySelector("select, input");

function place(held, point) {
  const what = interpolate(gettext("%(time)s at %(point)s m for %(where)s"), { time: held.time, point, where: where(held.pair, held.lane) }, true);
  const open = () => (rows.some((r) => r.id === held.id) ? `open ${held.id}` : "gone");
  send(`held-${held.id}`, {
    url: `/api/held/${held.id}/place`, body: { distance: point }, what, message: message(), field: null, subject: open,
    saved(res) {
      const p = res.data.passing;
      settled(held);
      say(message(), interpolate(gettext("Placed %(time)s at %(point)s m for %(where)s (%(skater)s)."),
        { time: p.time, point: p.distance, where: where(p.pair, p.lane), skater: p.skater }, true), "saved", () => "");
    },
  });
}

/* The server has placed or discarded it: off the list now (a quick second key finds the next one). */
function settled(held) {
  rows = rows.filter((r) => r.id !== held.id);
  draw();
}

function openDiscard(held) {
  discarding = { id: held.id, reason: "" };
  draw();
  const input = $("held-rows").querySelector('[data-role="discard-reason"]');
  if (input) input.focus();
}

function discard(held, reason) {
  const input = $("held-rows").querySelector('[data-role="discard-reason"]');
  send(`discard-${held.id}`, {
    url: `/api/held/${held.id}/discard`, body: { reason }, what: interpolate(gettext("the discard of %(time)s"), { time: held.time }, true), message: message(),
    field: input, subject: () => (discarding ? `${discarding.id}|${discarding.reason}` : "closed"),
    saved() {
      discarding = null;
      settled(held);
      say(message(), interpolate(gettext("Discarded %(time)s for %(where)s (%(skater)s)."),
        { time: held.time, where: where(held.pair, held.lane), skater: held.skater }, true), "saved", () => "");
    },
  });
}

export function wire() {
  $("held-rows").addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.matches("input, select")) return;
    const tr = e.target.closest("tr[data-held]");
    const held = tr && rows.find((r) => r.id === Number(tr.dataset.held));
    if (!held) return;
    if (/^[1-9]$/.test(e.key)) {
      e.preventDefault();
      e.stopPropagation(); // a digit here is a point, never a shortcut
      const point = held.fits[Number(e.key) - 1];
      if (point) place(held, point);
      else say(message(), interpolate(gettext("There is no point %(key)s for this split: choose its point in the list."), { key: e.key }, true), "error", () => `${held.id}`);
    } else if (e.key.toLowerCase() === "d") {
      e.preventDefault();
      e.stopPropagation();
      openDiscard(held);
    }
  });
}

/* H: the oldest held split, ready for its key. */
export function focus() {
  const control = firstControl($("held-rows"));
  if (control) control.focus();
}

/* Esc in the panel: close a discard's reason, or stop a retry; then keys.js leaves the field. */
export function escape(target) {
  const tr = target.closest && target.closest("#held-rows tr[data-held]");
  if (!tr) return false;
  const id = Number(tr.dataset.held);
  for (const slot of [`held-${id}`, `discard-${id}`]) {
    if (sending(slot)) return cancel(slot, message());
  }
  if (discarding && discarding.id === id) {
    discarding = null;
    draw();
    focus();
    return true;
  }
  return false;
}

export function tick(now) {
  for (const tr of $("held-rows").children) {
    const held = rows.find((r) => r.id === Number(tr.dataset.held));
    const cell = tr.querySelector("td.arrived");
    if (held && cell) {
      const text = arrived(held, now);
      if (cell.textContent !== text) cell.textContent = text;
    }
  }
}
