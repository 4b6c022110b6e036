// The shipped Firefox package (dist/second-opinion-firefox.xpi) in Firefox ESR: typing the
// post draws the underline over the record number, in a textarea on x.com and in a Lexical
// editor on www.facebook.com, and keyboard focus opens the card with its guide section.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { By } from "selenium-webdriver";
import { horizontalCover, OUT, serveSites, startFirefox, wordsBoxInEditor, wordsBoxInField } from "./harness.mjs";

const POST = "Saw Mr Robert Haines, MRN 4829137, in ED";
const RULE = "medical-record-number";
const FLAGGED = "4829137";
const WAIT_MS = 15_000;

let sites;
let driver;

before(async () => {
  sites = await serveSites();
  driver = await startFirefox();
});

after(async () => {
  await driver?.quit();
  await sites?.close();
});

/** The rule's first underline in the overlay's shadow root, or null while there is none. */
function underline(rule) {
  const host = document.querySelector("[data-second-opinion]");
  return host?.shadowRoot.querySelector(`[data-finding-rule="${rule}"]`) ?? null;
}

/** The card's text once it is open. */
function cardText() {
  return document.querySelector("[data-second-opinion]")?.shadowRoot.querySelector(".card")?.innerText ?? null;
}

/** Types the post into the page's box, then checks the underline's place and the card. */
async function checkPage(name, site, file, selector, measure, measureArg) {
  try {
    await driver.get(sites.url(site, file));
    const box = await driver.findElement(By.css(selector));
    await box.click();
    // Keyboard actions type as a user does (an element's sendKeys loses keys in Lexical).
    await driver.actions().sendKeys(POST).perform();
    const line = await driver.wait(() => driver.executeScript(underline, RULE), WAIT_MS, "no underline appeared");
    assert.equal(await line.getAttribute("data-finding-category"), "identifier");
    const rect = await driver.executeScript((element) => element.getBoundingClientRect().toJSON(), line);
    const words = await driver.executeScript(measure, box, measureArg);
    const { cover, meets } = horizontalCover(rect, words);
    assert.ok(cover > 0.8 && meets, `underline ${JSON.stringify(rect)} does not cover ${JSON.stringify(words)}`);

    await driver.executeScript((element) => element.focus(), line);
    const text = await driver.wait(() => driver.executeScript(cardText), WAIT_MS, "no card opened");
    assert.match(text, /Guide §02 — /);
    assert.match(text, /Turn off this rule/);
  } catch (error) {
    const png = await driver.takeScreenshot().catch(() => null);
    if (png) await writeFile(join(OUT, `firefox-${name}-failure.png`), png, "base64");
    throw error;
  }
}

test("Firefox: textarea on x.com", () =>
  checkPage("textarea", "x.com", "textarea.html", "#post", wordsBoxInField, { post: POST, words: FLAGGED }));

test("Firefox: Lexical editor on www.facebook.com", () =>
  checkPage("lexical", "www.facebook.com", "lexical.html", "#editor", wordsBoxInEditor, { words: FLAGGED }));
