/** The toolbar popup: this site on or off, the counts for the box in use, a link to settings. */

import { ext, siteOf } from "../shared/api";
import { CATEGORIES, CATEGORY_LABELS } from "../shared/engine-types";
import { ask, type Counts, type TabMessage } from "../shared/protocol";
import { byId, make, showNotice } from "./dom";

async function main(): Promise<void> {
  const [state, [tab]] = await Promise.all([ask("state", {}), ext.tabs.query({ active: true, currentWindow: true })]);
  showNotice(byId("notice"), state.notice, make("p", { text: "Open the settings to repair or replace them." }));

  const url = tab?.url ? new URL(tab.url) : null;
  const web = url !== null && (url.protocol === "https:" || url.protocol === "http:");
  const listed = web && (await ext.permissions.contains({ origins: [`${url.origin}/*`] }));
  if (!url || !listed || tab?.id === undefined) {
    byId("not-listed").hidden = false;
    return;
  }
  const site = siteOf(url.hostname);
  byId("site-section").hidden = false;
  byId("site-name").textContent = site;
  const enabled = byId<HTMLInputElement>("site-enabled");
  enabled.checked = !state.pausedSites.includes(site);
  enabled.addEventListener("change", () => void ask("set-site-paused", { site, paused: !enabled.checked }));

  const message: TabMessage = { kind: "counts" };
  const counts = (await ext.tabs.sendMessage(tab.id, message).catch(() => undefined)) as Counts | undefined;
  if (!counts) {
    byId("no-box").hidden = false;
    return;
  }
  byId("counts-section").hidden = false;
  byId("counts").replaceChildren(
    ...CATEGORIES.map((c) => make("li", {}, make("span", { className: `dot ${c}` }), `${counts[c]} — ${CATEGORY_LABELS[c]}`)),
  );
}

byId("open-options").addEventListener("click", (event) => {
  event.preventDefault();
  void ext.runtime.openOptionsPage().then(() => window.close());
});

main().catch((error: unknown) => {
  byId("notice").hidden = false;
  byId("notice").textContent = `Second Opinion could not start: ${String(error)}`;
});
