/*
 * The console's "latest changes" panel. Its rows are rendered by the server, by the same template
 * as the audit page (templates/officials/_changes.html), so they read the same in both places.
 */
import { ui } from "./ui.js";

let shownVersion = -1;
let timer = null;

export function refreshAudit(version) {
  if (version === shownVersion) return;
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const response = await fetch(ui.root.dataset.auditUrl, { cache: "no-store", credentials: "same-origin" })
      .catch(() => null);
    if (!response || !response.ok) return;
    const data = await response.json();
    shownVersion = Math.max(shownVersion, data.version);
    document.querySelector("#audit-table tbody").innerHTML = data.html;
  }, 250);
}
