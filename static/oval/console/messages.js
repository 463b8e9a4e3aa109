/*
 * Messages next to what they are about. Each one remembers its subject (a function returning a
 * key: the pair, the time typed, the race state...); when the subject changes, the message goes,
 * so an old error never sits next to a new pair, time or race.
 */
const shown = new Map();

/* kind: "error", "warning", "unsaved", "saved" or "hint" (the CSS colours them). */
export function say(el, text, kind = "error", subject = () => "", field = null) {
  el.textContent = text;
  el.dataset.kind = kind;
  if (field) field.setAttribute("aria-invalid", kind === "error" || kind === "unsaved" ? "true" : "false");
  shown.set(el, { subject, key: subject(), field });
}

export function clear(el) {
  const entry = shown.get(el);
  if (entry && entry.field) entry.field.setAttribute("aria-invalid", "false");
  shown.delete(el);
  el.textContent = "";
  delete el.dataset.kind;
}

/* Drop every message whose subject moved on; called after every render and every keystroke. */
export function clearStale() {
  for (const [el, entry] of [...shown]) {
    if (entry.subject() !== entry.key) clear(el);
  }
}
