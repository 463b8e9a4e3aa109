/*
 * The keyboard. Outside a field, letters are shortcuts; inside a time field only what a time is
 * made of can be typed (digits, "." or "," and ":"): a letter there is refused with a hint and
 * never acts as a shortcut, so an official typing fast cannot move the race to another pair by
 * accident. A bib field (a mass start's start number) takes digits only, likewise. Esc leaves a
 * field (or first drops the warning or the retry that the field shows).
 */
const TIME_KEY = /^[0-9.,:]$/;
const HINT = "Only digits, “.” and “:” go in a time. Press Esc to leave the field, then use the shortcut.";
const BIB_KEY = /^[0-9]$/;
const BIB_HINT = "Only digits go in a bib (the start number, such as 7). Press Esc to leave the field, then use the shortcut.";

function isTimeField(el) {
  return el instanceof HTMLInputElement && el.dataset.kind === "time";
}

function isBibField(el) {
  return el instanceof HTMLInputElement && el.dataset.kind === "bib";
}

/*
 * shortcuts: {key: action}; escape(target) returns true when it handled Esc itself;
 * hint(field, text) shows a refused keystroke's hint next to the field.
 */
export function listen({ shortcuts, escape, hint }) {
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    const typing = target.closest && target.closest("input, select, textarea");
    if (e.key === "Escape") {
      if (!escape(target) && typing) target.blur();
      return;
    }
    if (isTimeField(target)) {
      if (e.key.length === 1 && !TIME_KEY.test(e.key)) {
        e.preventDefault();
        hint(target, `“${e.key}” is not part of a time. ${HINT}`);
      }
      return;
    }
    if (isBibField(target)) {
      if (e.key.length === 1 && !BIB_KEY.test(e.key)) {
        e.preventDefault();
        hint(target, `“${e.key}” is not part of a bib. ${BIB_HINT}`);
      }
      return;
    }
    if (typing) return;
    const action = shortcuts[e.key.toLowerCase()];
    if (action) {
      e.preventDefault();
      action();
    }
  });
}
