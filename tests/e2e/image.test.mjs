// Photos being attached, in Chromium with the shipped extension (dist/chrome), on a page
// served as x.com: a photo chosen in a file input, dropped on the page's drop zone or pasted
// into the compose box gets a card saying what its metadata gives away (place, time, device, a
// record number in its caption), citing Guide §02; "Download a copy without metadata" saves a
// clean copy whose picture bytes are those of the original; the page still receives the
// user's own file. Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumSuite, OUT } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** Fixture photos written by the engine's tests (crate/src/image/tests.rs, write_fuzz_seeds). */
const SEEDS = join(here, "..", "..", "crate", "fuzz", "seeds", "image");

const CARD = "[data-second-opinion-images] .card";
const finding = (rule) => `${CARD} [data-finding-rule="${rule}"]`;

const suite = chromiumSuite();
const { pageTest } = suite;

/** The bytes from the first quantisation table (FF DB) to the end: the picture itself. */
function pictureBytes(jpeg) {
  const at = jpeg.indexOf(Buffer.from([0xff, 0xdb]));
  assert.ok(at > 0, "no quantisation table");
  return jpeg.subarray(at);
}

pageTest("file input: the card names place, time, device and the record number in the caption; the clean copy downloads", "image-input", async (page) => {
  const photo = await readFile(join(SEEDS, "seed-jpeg"));
  await page.goto(suite.sites.url("x.com", "upload.html"));
  await page.locator("#photo").setInputFiles({ name: "ward-round.jpg", mimeType: "image/jpeg", buffer: photo });

  const place = page.locator(finding("image-location")).first();
  await place.waitFor({ state: "visible" });
  assert.match(await place.innerText(), /EXIF GPS: “36\.84850° S, 174\.76330° E”/);
  assert.match(await place.innerText(), /Guide §02/);
  assert.match(await page.locator(finding("image-capture-time")).innerText(), /2024-05-01 14:32:10/);
  assert.match(await page.locator(finding("image-device")).innerText(), /Apple iPhone 15 Pro/);
  const mrn = await page.locator(finding("medical-record-number")).innerText();
  assert.match(mrn, /EXIF ImageDescription.*“4829137”/);
  // Most serious first.
  assert.equal(await page.locator(`${CARD} [data-finding-rule]`).first().getAttribute("data-severity"), "serious");
  await page.screenshot({ path: join(OUT, "image-warning.png") }); // the picture in docs/photos.md

  // The page got the user's own file, untouched.
  assert.deepEqual(await page.evaluate(() => window.received), [`input:ward-round.jpg:${photo.length}`]);

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`${CARD} button.download`).click()]);
  assert.equal(download.suggestedFilename(), "photo-without-metadata.jpg");
  const clean = await readFile(await download.path());
  for (const leak of ["4829137", "Robert Haines", "Auckland", "iPhone", "F2LXK0QJ0D", "Photoshop 3.0", "http://ns.adobe.com"]) {
    assert.ok(!clean.includes(leak), `the clean copy still holds ${leak}`);
  }
  assert.ok(pictureBytes(clean).equals(pictureBytes(photo)), "the picture bytes changed");
  await page.locator(`${CARD} .status`, { hasText: "photo-without-metadata.jpg" }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.received), [`input:ward-round.jpg:${photo.length}`]);

  // The clean copy, attached in turn, has nothing to report: the card then only has the
  // next photo's section (a PNG with a caption).
  await page.locator(`${CARD} button`, { hasText: "Dismiss" }).click();
  await page.locator(CARD).waitFor({ state: "detached" });
  await page.locator("#photo").setInputFiles([
    { name: "clean.jpg", mimeType: "image/jpeg", buffer: clean },
    { name: "scan.png", mimeType: "image/png", buffer: await readFile(join(SEEDS, "seed-png")) },
  ]);
  await page.locator(finding("image-location")).first().waitFor({ state: "visible" });
  assert.deepEqual(await page.locator(`${CARD} .file .title`).allInnerTexts(), ["scan.png"]);
});

pageTest("drop and paste: the card appears and the page's own handlers still receive the files", "image-drop-paste", async (page) => {
  const webp = [...(await readFile(join(SEEDS, "seed-webp")))];
  const heif = [...(await readFile(join(SEEDS, "seed-heif")))];
  await page.goto(suite.sites.url("x.com", "upload.html"));
  await page.evaluate((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "dropped.webp", { type: "image/webp" }));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, webp);
  await page.locator(finding("image-location")).first().waitFor({ state: "visible" });
  assert.deepEqual(await page.locator(`${CARD} .file .title`).allInnerTexts(), ["dropped.webp"]);

  await page.evaluate((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "IMG_2041.HEIC", { type: "" }));
    document.getElementById("post").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, heif);
  await page.locator(`${CARD} .file .title`, { hasText: "IMG_2041.HEIC" }).waitFor();
  await page.locator(finding("image-device-serial")).first().waitFor({ state: "visible" });
  assert.deepEqual(await page.evaluate(() => window.received), [`drop:dropped.webp:${webp.length}`, `paste:IMG_2041.HEIC:${heif.length}`]);
});

pageTest("a damaged photo gets a 'could not read' note; a file name with a record number is flagged", "image-bad", async (page) => {
  const photo = await readFile(join(SEEDS, "seed-jpeg"));
  await page.goto(suite.sites.url("x.com", "upload.html"));
  await page.locator("#photo").setInputFiles({ name: "MRN 4829137 wound.jpg", mimeType: "image/jpeg", buffer: photo.subarray(0, 40) });
  const note = page.locator(`${CARD} .note`).first();
  await note.waitFor({ state: "visible" });
  assert.match(await note.innerText(), /damaged/);
  assert.match(await page.locator(finding("medical-record-number")).innerText(), /file name: “4829137”/);
  assert.equal(await page.locator(`${CARD} button.download`).count(), 0, "no clean copy offered for an unreadable file");
});

pageTest("a photo over the size limit is skipped with a notice, without being read", "image-huge", async (page) => {
  await page.goto(suite.sites.url("x.com", "upload.html"));
  // Made in the page (sending 33 MB through the test driver is slow), dropped on the page.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(33 * 1024 * 1024)], "huge.jpg", { type: "image/jpeg" }));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  const note = page.locator(`${CARD} .note`).first();
  await note.waitFor({ state: "visible" });
  assert.equal(await note.innerText(), "Not checked: the file is 33.0 MB; files over 32 MB are not checked.");
  assert.equal(await page.locator(`${CARD} button.download`).count(), 0);
});

pageTest("a rule switched off in the settings is not reported for photos", "image-rule-off", async (page) => {
  const options = await suite.run.context.newPage();
  await options.goto(`chrome-extension://${suite.run.extensionId}/options.html`);
  const toggle = options.locator('input[data-rule="image-location"]');
  await toggle.waitFor();
  await toggle.setChecked(false);
  await options.locator("#status", { hasText: "Saved." }).waitFor();
  await options.close();
  // The last test of this file: the browser profile, with this setting, is thrown away after it.
  await page.goto(suite.sites.url("x.com", "upload.html"));
  await page.locator("#photo").setInputFiles({ name: "a.jpg", mimeType: "image/jpeg", buffer: await readFile(join(SEEDS, "seed-jpeg")) });
  await page.locator(finding("image-capture-time")).waitFor({ state: "visible" });
  assert.equal(await page.locator(finding("image-location")).count(), 0);
});
