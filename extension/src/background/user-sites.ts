/** Keeps the content script registered for the sites the user added in the options page. */

import { ext } from "../shared/api";
import { userOrigins } from "../shared/sites";

const SCRIPT_ID = "user-sites";

/** Makes the registered content script match exactly the granted user origins. */
export async function syncUserSites(): Promise<void> {
  const matches = await userOrigins();
  const registered = await ext.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length === 0) {
    if (registered.length > 0) await ext.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    return;
  }
  const script = { id: SCRIPT_ID, matches, js: ["content.js"], allFrames: true, runAt: "document_idle" as const };
  if (registered.length > 0) await ext.scripting.updateContentScripts([script]);
  else await ext.scripting.registerContentScripts([script]);
}
