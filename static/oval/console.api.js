/*
 * The console writes through the same JSON API as a timing device (docs/api.md), with the
 * session cookie and Django's CSRF token. Every answer comes back as {ok, status, data}, where a
 * refusal's data is the server's {error, field}: the console shows those words as they are.
 */

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
  401: "You are logged out. Log in again in another tab, then retry.",
  403: "The server refused: you may not write here, or the page is stale. Reload the page.",
  429: "Too many requests; wait a moment.",
};

export async function post(url, body, key) {
  const headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken() };
  if (key) headers["Idempotency-Key"] = key;
  let response;
  try {
    response = await fetch(url, {
      method: "POST", headers, body: JSON.stringify(body || {}), credentials: "same-origin", cache: "no-store",
    });
  } catch (e) {
    return {
      ok: false, status: 0,
      data: { error: "No answer from the server (network). Nothing is confirmed: press Enter again to retry safely.", field: null },
    };
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!data || typeof data !== "object") {
    data = { error: WORDS[response.status] || `The server answered HTTP ${response.status}.`, field: null };
  }
  return { ok: response.ok, status: response.status, data };
}
