// The shipped extension (dist/chrome) in Chromium, beyond the per-page scenarios of
// editors.test.mjs: the README's screenshot of a warning, a rule switched off and on in the
// settings page, and the notice for refused stored settings.
// Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { join } from "node:path";
import { chromiumSuite, horizontalCover, OUT, wordsBoxInField } from "./harness.mjs";

import { FLAGGED, POST, RULE } from "./scenarios.mjs";

const UNDERLINE = `[data-second-opinion] [data-finding-rule="${RULE}"]`;
const CARD = "[data-second-opinion] .card";

const suite = chromiumSuite();
const { pageTest } = suite;

/** Opens a compose page on `site` and types the post into the box, as a user would. */
async function typePost(page, site, file, selector) {
  await page.goto(suite.sites.url(site, file));
  const box = page.locator(selector);
  await box.click();
  await page.keyboard.type(POST);
  return box;
}

/** Switches the rule in the options page, as a user would, and waits until it is saved. */
async function setRuleInOptions(enabled) {
  const options = await suite.run.context.newPage();
  await options.goto(`chrome-extension://${suite.run.extensionId}/options.html`);
  const toggle = options.locator(`input[data-rule="${RULE}"]`);
  await toggle.waitFor();
  if ((await toggle.isChecked()) !== enabled) {
    await toggle.setChecked(enabled);
    await options.locator("#status", { hasText: "Saved." }).waitFor();
  }
  await options.close();
}

/** The underline's box covers the flagged words' box, and the card opens on hover. */
async function assertUnderlineAndCard(page, wordsBox) {
  const underline = page.locator(UNDERLINE).first();
  await underline.waitFor({ state: "visible" });
  assert.equal(await underline.getAttribute("data-finding-category"), "identifier");
  const box = await underline.boundingBox();
  const { cover, meets } = horizontalCover(box, wordsBox);
  assert.ok(cover > 0.8 && meets, `underline ${JSON.stringify(box)} does not cover ${JSON.stringify(wordsBox)}`);

  await page.mouse.move(wordsBox.x + wordsBox.width / 2, wordsBox.y + wordsBox.height / 2);
  const card = page.locator(CARD);
  await card.waitFor({ state: "visible" });
  const text = await card.innerText();
  assert.match(text, /Guide §02 — /);
  assert.match(text, /Medical record number/i);
  assert.match(text, /Ignore here/);
  assert.match(text, /Turn off this rule/);
}

pageTest("textarea on x.com: underline, card, rule off in the options page", "textarea", async (page) => {
  const field = await typePost(page, "x.com", "textarea.html", "#post");

  const wordsBox = await field.evaluate(wordsBoxInField, { post: POST, words: FLAGGED });
  await assertUnderlineAndCard(page, wordsBox);

  const shell = await page.locator(".composer").boundingBox();
  const card = await page.locator(CARD).boundingBox();
  await page.screenshot({
    path: join(OUT, "warning.png"),
    clip: { x: shell.x - 20, y: shell.y - 20, width: shell.width + 40, height: card.y + card.height - shell.y + 40 },
  });

  await setRuleInOptions(false);
  await page.locator(UNDERLINE).first().waitFor({ state: "detached" });
  assert.equal(await field.inputValue(), POST, "the page's text was changed");

  await setRuleInOptions(true);
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });
});

pageTest("refused stored settings: defaults, a visible notice, and the blob kept", "settings-notice", async (options) => {
  const refused = { rules: { "no-such-rule": false } };
  await suite.run.worker.evaluate((settings) => chrome.storage.sync.set({ settings }), refused);
  await options.goto(`chrome-extension://${suite.run.extensionId}/options.html`);
  const notice = options.locator("#notice");
  await notice.waitFor({ state: "visible" });
  assert.match(await notice.innerText(), /no-such-rule/);

  await notice.getByRole("button", { name: "Replace them with the defaults" }).click();
  await notice.waitFor({ state: "hidden" });
  const kept = await suite.run.worker.evaluate(() => chrome.storage.local.get("rejected_settings"));
  assert.deepEqual(kept.rejected_settings.settings, refused);
});

pageTest("in a text over 50,000 characters only the start is checked, and the badge says so", "too-long", async (page) => {
  await page.goto(suite.sites.url("x.com", "textarea.html"));
  const box = page.locator("#post");
  await box.fill(`${POST} ${"word ".repeat(10_000)}`);
  const notice = page.locator("[data-second-opinion] .badge", { hasText: "Only the first 50,000 characters were checked" });
  await notice.waitFor({ state: "visible" });
  // The post at the start is checked: its underline shows once the box is scrolled back to it.
  await box.evaluate((b) => b.scrollTo(0, 0));
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });
  // Cut back to a post, it is checked as a whole and the notice goes.
  await box.fill(POST);
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });
  await notice.waitFor({ state: "detached" });
});
