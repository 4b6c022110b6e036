// A photo attached in Firefox ESR with the shipped .xpi: the file goes to the background as
// base64 (Firefox's messaging would also take binary data, Chrome's would not; one path
// serves both) and the card names the photo's GPS position and the record number in its
// caption, citing Guide §02.

import assert from "node:assert/strict";
import { copyFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { By } from "selenium-webdriver";
import { OUT, recordingProxy, serveSites, startFirefox } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SEED = join(here, "..", "..", "crate", "fuzz", "seeds", "image", "seed-jpeg");
const WAIT_MS = 15_000;

let sites;
let proxy;
let driver;

before(async () => {
  sites = await serveSites();
  proxy = await recordingProxy(sites.port);
  const firefox = await startFirefox(proxy);
  driver = firefox.driver;
  await firefox.installExtension();
});

after(async () => {
  await driver?.quit();
  await proxy?.close();
  await sites?.close();
});

/** The text of the photo card's findings, by rule (a rule's findings joined), once the card is there. */
function cardFindings() {
  const card = document.querySelector("[data-second-opinion-images]")?.shadowRoot.querySelector(".card");
  if (!card) return null;
  const byRule = {};
  for (const f of card.querySelectorAll("[data-finding-rule]")) {
    byRule[f.dataset.findingRule] = `${byRule[f.dataset.findingRule] ?? ""}${f.innerText}\n`;
  }
  return byRule;
}

test("Firefox: a photo chosen in a file input gets the metadata card", async () => {
  try {
    const photo = join(OUT, "ward-round.jpg");
    await copyFile(SEED, photo);
    await driver.get(sites.url("x.com", "upload.html"));
    await driver.findElement(By.css("#photo")).sendKeys(photo);
    const findings = await driver.wait(() => driver.executeScript(cardFindings), WAIT_MS, "no photo card appeared");
    assert.match(findings["image-location"], /EXIF GPS: “36\.84850° S, 174\.76330° E”/);
    assert.match(findings["image-location"], /Guide §02/);
    assert.match(findings["medical-record-number"], /“4829137”/);
    const { size } = await stat(SEED);
    assert.deepEqual(await driver.executeScript(() => window.received), [`input:ward-round.jpg:${size}`]);
  } catch (error) {
    const png = await driver.takeScreenshot().catch(() => null);
    if (png) await writeFile(join(OUT, "firefox-image-failure.png"), png, "base64");
    throw error;
  }
});
