/*
 * Writing, as a timing device does (docs/api.md): the session cookie, Django's CSRF token, and an
 * Idempotency-Key. Every answer comes back as {ok, status, data}; a refusal's data is the server's
 * {error, field[, warning]}, shown as it is.
 *
 * `deliver` is for entries an official must never lose: when the server does not answer, or
 * answers with a server error (a 503 while the database is away), the entry is NOT saved yet, so it is sent
 * again with the same key (the server stores it exactly once, whichever try gets through), with a
 * back-off, until it is stored, refused for a reason, or cancelled.
 */
import { gettext, interpolate } from "../i18n.js";

function csrfToken() {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (field) return field.value;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/* A fresh Idempotency-Key. getRandomValues, not randomUUID: the latter needs HTTPS off localhost. */
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const WORDS = {
  401: gettext("You are logged out. Log in again in another tab, then retry."),
  403: gettext("The server refused: you may not write here, or the page is stale. Reload the page."),
  429: gettext("Too many requests; wait a moment."),
};

/*
 * No answer, or a server error: the entry is not confirmed. A 5xx rolled the write back (one
 * transaction) or, if it came after the commit, the retry gets the stored answer back by its key,
 * so retrying is always safe; a 4xx is a refusal with a reason, and retrying would not help.
 */
export function unsaved(res) {
  return res.status === 0 || res.status >= 500;
}

export async function post(url, body, key) {
  const headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken() };
  if (key) headers["Idempotency-Key"] = key;
  let response;
  try {
    response = await fetch(url, {
      method: "POST", headers, body: JSON.stringify(body || {}), credentials: "same-origin", cache: "no-store",
    });
  } catch (e) {
    return { ok: false, status: 0, data: { error: gettext("No answer from the server."), field: null } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!data || typeof data !== "object") {
    data = { error: WORDS[response.status] || interpolate(gettext("The server answered HTTP %(status)s."), { status: response.status }, true), field: null };
  }
  return { ok: response.ok, status: response.status, data };
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8000;

/*
 * Send until the server gives a real answer. `onWaiting(tries, res, waitMs)` is told before every
 * wait; `handle.cancel()` stops it (the promise then resolves to {cancelled: true}). `handle.retrying`
 * says a try has already failed: only then is there something for the official to stop.
 */
export function deliver(url, body, key, onWaiting) {
  const handle = { cancelled: false, retrying: false, timer: null, wake: null };
  handle.cancel = () => {
    handle.cancelled = true;
    clearTimeout(handle.timer);
    if (handle.wake) handle.wake();
  };
  handle.done = (async () => {
    let wait = FIRST_RETRY_MS;
    for (let tries = 1; ; tries++) {
      const res = await post(url, body, key);
      if (handle.cancelled) return { cancelled: true, ok: false, status: 0, data: {} };
      if (!unsaved(res)) return res;
      handle.retrying = true;
      onWaiting(tries, res, wait);
      await new Promise((resolve) => {
        handle.wake = resolve;
        handle.timer = setTimeout(resolve, wait);
      });
      if (handle.cancelled) return { cancelled: true, ok: false, status: 0, data: {} };
      wait = Math.min(wait * 2, MAX_RETRY_MS);
    }
  })();
  return handle;
}
