/*
 * Writing from the console. An entry carries an Idempotency-Key that stays the same until the
 * entry is settled, so a double Enter or a retry never stores a time twice. What needs a second
 * Enter (a soft warning, a pair that is not on the ice, a replay) is the server's decision: it
 * answers 409 with a `warning` code, the console shows its words, and a second Enter on the very
 * same entry sends it again with "confirm": true. Anything typed differently is a new entry.
 */
import { deliver, newKey, post } from "./send.js";
import { clear, say } from "./messages.js";
import { api, expect, part, ui, where } from "./ui.js";

const entries = {}; // slot -> {fingerprint, key, warned, handle} of the entry not yet settled

/* A plain write (start, status, pair, state): its refusal is shown next to it until its subject moves. */
export async function write(url, body, messageEl, subject, field = null) {
  const res = await post(url, body, newKey());
  if (res.ok) {
    clear(messageEl);
    expect(res.data.version);
  } else {
    const text = res.status === 0 || res.status >= 500 ? `${res.data.error} Not saved: try again.` : res.data.error;
    say(messageEl, text, "error", subject, field);
  }
  return res;
}

function laneSubject(lane) {
  const input = part(lane, "time");
  const select = part(lane, "point");
  return () => `${ui.viewPair}|${select.value}|${input.value.trim()}`;
}

export function unsavedText(what, tries, res, wait) {
  const why = res.status === 0 ? "No answer from the server" : `The server answered ${res.status}`;
  return `NOT SAVED YET: ${what}. ${why}; trying again in ${Math.round(wait / 100) / 10} s (try ${tries + 1}). ` +
    "Esc stops trying.";
}

/*
 * Deliver one entry of a slot (a lane, the crossing entry, a held split): one in flight per slot,
 * the same key and the warning's confirmation for the very same body, NOT SAVED YET while it is
 * retried. `saved(res)` shows what was stored; a refusal is shown in `message` next to `field`
 * (or `field(name)`, the input of the field the server named) until `subject` moves. Resolves to
 * the answer, or null when the slot was still delivering.
 */
export async function send(slot, { url, body, what, message, field: fieldOf, subject, saved }) {
  const field = typeof fieldOf === "function" ? fieldOf(null) : fieldOf;
  const current = entries[slot];
  if (current && current.handle) return null; // still being delivered: the same entry, not a second one
  const fingerprint = JSON.stringify(body);
  const entry = current && current.fingerprint === fingerprint ? current : { fingerprint, key: newKey(), warned: null };
  entries[slot] = entry;
  const sent = entry.warned ? { ...body, confirm: true } : body;
  entry.handle = deliver(url, sent, entry.key, (tries, res, wait) => {
    say(message, unsavedText(what, tries, res, wait), "unsaved", () => "", field);
  });
  const res = await entry.handle.done;
  entry.handle = null;
  if (res.cancelled) {
    entries[slot] = null;
    say(message, `Stopped trying: ${what} may not be stored. Check the table before typing it again.`, "error",
      subject, field);
  } else if (res.ok) {
    entries[slot] = null;
    saved(res);
    expect(res.data.version);
  } else if (res.status === 409 && res.data.warning) {
    entry.warned = res.data.warning;
    say(message, `${res.data.error} Press Enter again to store it anyway, Esc to cancel.`, "warning",
      subject, field);
    message.dataset.warning = res.data.warning;
  } else {
    entries[slot] = null;
    say(message, res.data.error, "error", subject, typeof fieldOf === "function" ? fieldOf(res.data.field) : field);
  }
  return res;
}

/* True while a slot's entry is on its way or being retried. */
export const sending = (slot) => Boolean(entries[slot] && entries[slot].handle);

export async function record(lane) {
  const input = part(lane, "time");
  const select = part(lane, "point");
  const message = part(lane, "message");
  const time = input.value.trim();
  if (sending(lane)) return;
  if (!time) {
    say(message, "Type a time first, such as 17.68 or 1:12.31.", "error", laneSubject(lane), input);
    return;
  }
  const body = { pair: ui.viewPair, lane, distance: Number(select.value), time };
  const what = `${time} at ${body.distance} m, ${where(body.pair, lane)}`;
  await send(lane, {
    url: api("/passings"), body, what, message, field: input, subject: laneSubject(lane),
    saved(res) {
      if (input.value.trim() === time) input.value = "";
      const p = res.data.passing;
      // Stays until she types the next time (the Point box moving on is expected, not a new subject).
      const typed = () => `${ui.viewPair}|${input.value.trim()}`;
      say(message, `Saved ${p.time} at ${p.distance} m for ${where(p.pair, p.lane)} (${p.skater}).`, "saved", typed, input);
    },
  });
}

/* Esc in a slot's field: stop a retry, or drop a warning. True when there was one. */
export function cancel(slot, message = part(slot, "message")) {
  const entry = entries[slot];
  if (!entry) return false;
  if (entry.handle) {
    // A first try still on its way is about to be answered: Esc then only leaves the field, as
    // always. Cancelling it would call an entry that the server is storing "not stored".
    if (!entry.handle.retrying) return false;
    entry.handle.cancel();
    return true;
  }
  entries[slot] = null;
  if (message.dataset.kind !== "warning") return false; // the warning already went with its subject
  clear(message);
  return true;
}

/* A correction or a void, with the same warnings, confirmation and retries as an entry. */
const edits = {}; // passing id -> {fingerprint, key, warned, handle}

export async function edit(url, body, show) {
  const fingerprint = url + JSON.stringify(body);
  const id = url;
  const current = edits[id];
  if (current && current.handle) return;
  const entry = current && current.fingerprint === fingerprint ? current : { fingerprint, key: newKey(), warned: null };
  edits[id] = entry;
  entry.handle = deliver(url, entry.warned ? { ...body, confirm: true } : body, entry.key, (tries, res, wait) => {
    show(unsavedText("the correction", tries, res, wait), "unsaved");
  });
  const res = await entry.handle.done;
  entry.handle = null;
  if (res.ok) {
    edits[id] = null;
    ui.editing = null;
    expect(res.data.version);
  } else if (res.cancelled) {
    edits[id] = null;
    show("Stopped trying: the correction may not be stored. Check the table.", "error");
  } else if (res.status === 409 && res.data.warning) {
    entry.warned = res.data.warning;
    show(`${res.data.error} Press Enter again to store it anyway.`, "warning");
  } else {
    edits[id] = null;
    show(res.data.error, "error");
  }
  return res;
}
