// The shipped extension (dist/chrome) in Chromium, on pages served as x.com and
// www.facebook.com: typing a post with a patient identifier draws an underline over the right
// words, the card names the guide section, and turning the rule off removes the underline.
// Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import {
  horizontalCover,
  OUT,
  serveSites,
  startChromium,
  withScreenshots,
  wordsBoxInEditor,
  wordsBoxInField,
} from "./harness.mjs";

const POST = "Saw Mr Robert Haines, MRN 4829137, in ED";
const RULE = "medical-record-number";
/** Words the rule must underline (the record number itself). */
const FLAGGED = "4829137";

const UNDERLINE = `[data-second-opinion] [data-finding-rule="${RULE}"]`;
const CARD = "[data-second-opinion] .card";
/** Every underline, whatever its rule. */
const ANY_UNDERLINE = "[data-second-opinion] [data-finding-rule]";

let sites;
let run;

before(async () => {
  sites = await serveSites();
  run = await startChromium();
});

after(async () => {
  await run?.close();
  await sites?.close();
});

/** A test on a fresh tab; on failure, screenshots of every open page go to out/. */
function pageTest(title, name, body) {
  test(title, { timeout: 60_000 }, async () => {
    const page = await run.context.newPage();
    try {
      await withScreenshots(run.context, name, () => body(page));
    } finally {
      await page.close();
    }
  });
}

/** Opens a compose page on `site` and types the post into the box, as a user would. */
async function typePost(page, site, file, selector) {
  await page.goto(sites.url(site, file));
  const box = page.locator(selector);
  await box.click();
  await page.keyboard.type(POST);
  return box;
}

/** Switches the rule in the options page, as a user would, and waits until it is saved. */
async function setRuleInOptions(enabled) {
  const options = await run.context.newPage();
  await options.goto(`chrome-extension://${run.extensionId}/options.html`);
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

pageTest("Lexical editor on www.facebook.com: underline, card, turn off from the card", "lexical", async (page) => {
  const editor = await typePost(page, "www.facebook.com", "lexical.html", "#editor");

  const wordsBox = await editor.evaluate(wordsBoxInEditor, { words: FLAGGED });
  await assertUnderlineAndCard(page, wordsBox);

  // The overlay sits beside the editor, never inside it.
  const placement = await editor.evaluate((root) => {
    const host = document.querySelector("[data-second-opinion]");
    return { inside: root.contains(host), sibling: host.parentElement === root.parentElement };
  });
  assert.deepEqual(placement, { inside: false, sibling: true });

  await page.locator(CARD).getByRole("button", { name: "Turn off this rule" }).click();
  await page.locator(UNDERLINE).first().waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => window.lexicalText()), POST, "Lexical's text was changed");

  await setRuleInOptions(true);
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });

  // Keyboard: Tab from the editor reaches an underline and opens its card; "Ignore here" hides it.
  await page.mouse.move(0, 0);
  await editor.focus();
  const before = await page.locator("[data-second-opinion] [data-finding-rule]").count();
  await page.keyboard.press("Tab");
  await page.locator(CARD).waitFor({ state: "visible" });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.locator(CARD).waitFor({ state: "detached" });
  await page.waitForFunction(
    (before) => document.querySelector("[data-second-opinion]").shadowRoot.querySelectorAll("[data-finding-rule]").length < before,
    before,
  );
  assert.equal(await page.evaluate(() => window.lexicalText()), POST, "Lexical's text was changed");
});

pageTest("popup: counts for the box in use; pausing the site removes every underline, un-pausing brings them back", "popup", async (page) => {
  await typePost(page, "x.com", "textarea.html", "#post");
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });

  // A test cannot click the toolbar button, so the popup is opened as a page and told which
  // tab is "active": only tabs.query is replaced; everything else is the real popup.
  const tabId = await run.worker.evaluate(async () => (await chrome.tabs.query({ url: "https://x.com/*" }))[0].id);
  const popup = await run.context.newPage();
  await popup.addInitScript((id) => {
    if (location.pathname === "/popup.html") chrome.tabs.query = async () => [await chrome.tabs.get(id)];
  }, tabId);
  await popup.goto(`chrome-extension://${run.extensionId}/popup.html`);
  await popup.locator("#counts li", { hasText: "Patient identifiers" }).waitFor();
  assert.match(await popup.locator("#counts").innerText(), /[1-9]\d* — Patient identifiers/);

  // Scenario 7: pausing removes every underline (of any rule); un-pausing brings them all back.
  const drawn = await page.locator(ANY_UNDERLINE).count();
  assert.ok(drawn > 0);
  await popup.locator("#site-enabled").uncheck();
  await page.locator(ANY_UNDERLINE).first().waitFor({ state: "detached" });
  assert.equal(await page.locator(ANY_UNDERLINE).count(), 0, "an underline survived the pause");
  await popup.locator("#site-enabled").check();
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });
  await page.waitForFunction(
    (drawn) => document.querySelector("[data-second-opinion]")?.shadowRoot?.querySelectorAll("[data-finding-rule]").length === drawn,
    drawn,
  );
  assert.equal(await page.locator("#post").inputValue(), POST, "the page's text was changed");
  await popup.close();
});

pageTest("refused stored settings: defaults, a visible notice, and the blob kept", "settings-notice", async (options) => {
  const refused = { rules: { "no-such-rule": false } };
  await run.worker.evaluate((settings) => chrome.storage.sync.set({ settings }), refused);
  await options.goto(`chrome-extension://${run.extensionId}/options.html`);
  const notice = options.locator("#notice");
  await notice.waitFor({ state: "visible" });
  assert.match(await notice.innerText(), /no-such-rule/);

  await notice.getByRole("button", { name: "Replace them with the defaults" }).click();
  await notice.waitFor({ state: "hidden" });
  const kept = await run.worker.evaluate(() => chrome.storage.local.get("rejected_settings"));
  assert.deepEqual(kept.rejected_settings.settings, refused);
});

// Scenario 8. Runs last: it stops the service worker that the other tests reach through run.worker.
pageTest("service worker stopped mid-session: checking resumes on the next keystroke", "worker-stopped", async (page) => {
  const box = await typePost(page, "x.com", "textarea.html", "#post");
  await page.locator(UNDERLINE).first().waitFor({ state: "visible" });
  assert.equal(await page.locator(UNDERLINE).count(), 1);

  // Stop the worker through DevTools' ServiceWorker domain, on a session attached to one of
  // the extension's own pages (the worker lives in the extension's origin), and follow its
  // running status there.
  const extensionPage = await run.context.newPage();
  await extensionPage.goto(`chrome-extension://${run.extensionId}/options.html`);
  const cdp = await run.context.newCDPSession(extensionPage);
  const statuses = [];
  const waiters = [];
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${run.extensionId}/`)) statuses.push(v.runningStatus);
    for (const w of waiters.splice(0)) w();
  });
  const reaches = async (status, from) => {
    while (statuses.indexOf(status, from) < 0) await new Promise((resolve) => waiters.push(resolve));
  };
  await cdp.send("ServiceWorker.enable");
  await reaches("running", 0);
  await cdp.send("ServiceWorker.stopAllWorkers");
  await reaches("stopped", 0);
  const afterStop = statuses.length;

  // The next keystrokes add a second record number: the worker starts again and checks it.
  await box.press("End");
  await page.keyboard.type(" and MRN 5550123");
  await page.waitForFunction(
    (rule) =>
      document.querySelector("[data-second-opinion]")?.shadowRoot?.querySelectorAll(`[data-finding-rule="${rule}"]`).length === 2,
    RULE,
  );
  // The worker did start again for it (the page does not check on its own).
  await reaches("running", afterStop);
  await cdp.detach();
  await extensionPage.close();
  const post = `${POST} and MRN 5550123`;
  assert.equal(await box.inputValue(), post);
  const wordsBox = await box.evaluate(wordsBoxInField, { post, words: "5550123" });
  const boxes = await page.locator(UNDERLINE).evaluateAll((lines) => lines.map((l) => l.getBoundingClientRect().toJSON()));
  assert.ok(
    boxes.some((b) => {
      const { cover, meets } = horizontalCover(b, wordsBox);
      return cover > 0.8 && meets;
    }),
    `no underline ${JSON.stringify(boxes)} covers the new record number ${JSON.stringify(wordsBox)}`,
  );
});
