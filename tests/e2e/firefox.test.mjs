// The shipped Firefox package (dist/second-opinion-firefox.xpi) in Firefox ESR, on the textarea,
// Lexical, ProseMirror and strict-CSP pages of pages.mjs:
//  1. the identifier, angry and promotion posts are underlined over the flagged words, with
//     their categories (and keyboard focus opens the identifier's card with its guide section);
//  2. clean posts are not;
//  4. the integrity keystrokes leave each editor exactly as they did in the same Firefox before
//     the add-on was installed;
//  5. every connection Firefox opens goes through a recording proxy: once the add-on is
//     installed, none goes anywhere but the test server, except to hosts Firefox itself
//     contacted before the add-on existed (its Remote Settings service).
// Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { By, Key } from "selenium-webdriver";
import {
  horizontalCover,
  OUT,
  recordingProxy,
  serveSites,
  SITES,
  startFirefox,
  wordsBoxInEditor,
  wordsBoxInField,
} from "./harness.mjs";
import { PAGES } from "./pages.mjs";
import {
  boxState,
  CLEAN_POSTS,
  editorSettled,
  FLAGGED_POSTS,
  INTEGRITY_STEPS,
  overlaps,
  PROBE,
  RULE,
  underlineCount,
  underlinesIn,
} from "./scenarios.mjs";

const WAIT_MS = 15_000;
const FIREFOX_PAGES = PAGES.filter((p) => ["textarea.html", "lexical.html", "prosemirror.html", "csp.html"].includes(p.file));

let sites;
let proxy;
let driver;
/** Scenario 4's states per page, taken in this Firefox before the add-on was installed. */
const baselines = new Map();
/** How many connections the proxy had recorded when the add-on was installed. */
let beforeInstall;

before(async () => {
  sites = await serveSites();
  proxy = await recordingProxy(sites.port);
  const firefox = await startFirefox(proxy);
  driver = firefox.driver;
  for (const spec of FIREFOX_PAGES) baselines.set(spec.file, await integrityRun(spec, false));
  beforeInstall = proxy.requests.length;
  await firefox.installExtension();
});

after(async () => {
  await driver?.quit();
  await proxy?.close();
  await sites?.close();
});

/** Runs a test body; on failure saves a screenshot into out/. */
async function withScreenshot(name, body) {
  try {
    await body();
  } catch (error) {
    const png = await driver.takeScreenshot().catch(() => null);
    if (png) await writeFile(join(OUT, `firefox-${name}-failure.png`), png, "base64");
    throw error;
  }
}

/** Opens the page and clicks into its box. */
async function openBox(spec) {
  await driver.get(sites.url(spec.site, spec.file));
  const box = await driver.wait(async () => (await driver.findElements(By.css(spec.box)))[0], WAIT_MS, "no compose box");
  await box.click();
  return box;
}

/** Keyboard actions type as a user does (an element's sendKeys loses keys in Lexical). */
const KEYS = { ArrowLeft: Key.ARROW_LEFT, End: Key.END, Backspace: Key.BACK_SPACE, Shift: Key.SHIFT, Control: Key.CONTROL };

async function type(text) {
  await driver.actions().sendKeys(text).perform();
}

/** Presses a key as Playwright names it ("Shift+ArrowLeft", "Control+z"). */
async function press(chord) {
  const keys = chord.split("+").map((k) => KEYS[k] ?? k);
  const key = keys.pop();
  let actions = driver.actions();
  for (const modifier of keys) actions = actions.keyDown(modifier);
  actions = actions.sendKeys(key);
  for (const modifier of keys.reverse()) actions = actions.keyUp(modifier);
  await actions.perform();
}

function waitFor(script, arg, message) {
  return driver.wait(() => driver.executeScript(script, arg), WAIT_MS, message);
}

function wordsBox(spec, box, text, words) {
  return spec.field ? driver.executeScript(wordsBoxInField, box, { post: text, words }) : driver.executeScript(wordsBoxInEditor, box, { words });
}

/** Waits until an underline of `category` is drawn with a size; gives every underline. */
async function waitForCategory(category) {
  await waitFor(
    (category) =>
      [...document.querySelectorAll("[data-second-opinion]")].some((host) => {
        const line = host.shadowRoot?.querySelector(`[data-finding-category="${category}"]`);
        return line && line.getBoundingClientRect().width > 0;
      }),
    category,
    `no ${category} underline appeared`,
  );
  return driver.executeScript(underlinesIn);
}

/** Scenario 4's keystrokes; with the extension, each step waits for its warnings first. */
async function integrityRun(spec, extension) {
  const box = await openBox(spec);
  const settled = () => waitFor(editorSettled, box, "the editor did not catch up with the keystrokes");
  const states = [];
  for (const step of INTEGRITY_STEPS) {
    for (let s = step; s; s = s.then) {
      if (s.type) await type(s.type);
      await settled();
      for (let i = 0; s.press && i < (s.times ?? 1); i += 1) {
        await press(s.press);
        await settled();
      }
    }
    if (extension && step.expect !== undefined) {
      await waitFor(underlineCount, { rule: RULE, is: step.expect }, `not ${step.expect} underlines after "${step.what}"`);
    }
    states.push({ step: step.what, ...(await driver.executeScript(boxState, box, spec)) });
  }
  return states;
}

for (const spec of FIREFOX_PAGES) {
  const slug = spec.file.replace(".html", "");

  describe(`Firefox: ${spec.name} on ${spec.site}`, () => {
    for (const { post, category, words } of FLAGGED_POSTS) {
      test(`scenario 1: "${post}" is underlined as ${category} over "${words}"`, () =>
        withScreenshot(`s1-${category}-${slug}`, async () => {
          const box = await openBox(spec);
          await type(post);
          const underlines = await waitForCategory(category);
          assert.equal((await driver.executeScript(boxState, box, spec)).text, post, "the editor's text is not what was typed");
          const flagged = await wordsBox(spec, box, post, words);
          assert.ok(
            underlines.some((u) => {
              const { cover, meets } = horizontalCover(u.box, flagged);
              return u.category === category && cover > 0.8 && meets;
            }),
            `no ${category} underline in ${JSON.stringify(underlines)} covers "${words}" ${JSON.stringify(flagged)}`,
          );
          if (category !== "identifier") return;
          // Keyboard focus on the underline opens its card, with the guide section.
          await driver.executeScript(
            (rule) =>
              document.querySelector("[data-second-opinion]").shadowRoot.querySelector(`[data-finding-rule="${rule}"][tabindex]`).focus(),
            RULE,
          );
          const card = await waitFor(
            () => document.querySelector("[data-second-opinion]")?.shadowRoot.querySelector(".card")?.innerText ?? null,
            undefined,
            "no card opened",
          );
          assert.match(card, /Guide §02 — /);
          assert.match(card, /Tip: \S/);
        }));
    }

    test("scenario 2: clean posts have no underline", () =>
      withScreenshot(`s2-${slug}`, async () => {
        const box = await openBox(spec);
        for (const clean of CLEAN_POSTS) {
          await type(clean + PROBE);
          await waitFor(underlineCount, { rule: RULE, is: 1 }, "the record number after the clean post was not underlined");
          const underlines = await driver.executeScript(underlinesIn);
          const cleanBox = await wordsBox(spec, box, clean + PROBE, clean.slice(0, 20));
          assert.deepEqual(underlines.filter((u) => overlaps(u.box, cleanBox)), [], `underlines over "${clean}"`);
          assert.deepEqual(
            underlines.map((u) => u.rule),
            [RULE],
          );
          await press("Control+a");
          await press("Backspace");
          await waitFor(underlineCount, { is: 0 }, "underlines stayed after the post was deleted");
          assert.equal((await driver.executeScript(boxState, box, spec)).text, "");
        }
      }));

    test("scenario 4: keystrokes leave the editor exactly as they did before the add-on was installed", () =>
      withScreenshot(`s4-${slug}`, async () => {
        const without = baselines.get(spec.file);
        const withExtension = await integrityRun(spec, true);
        assert.ok(without.every((s) => s.focused), "the editor lost focus on its own");
        for (let i = 0; i < without.length; i += 1) assert.deepEqual(withExtension[i], without[i], `after "${without[i].step}"`);
      }));
  });
}

test("Firefox scenario 5: with the add-on, every connection went to the test server or to Firefox's own services", () => {
  const onTestServer = (target) => {
    const [host, port] = target.split(":");
    return SITES.includes(host) && port === `${sites.port}`;
  };
  const firefoxOwn = new Set(proxy.requests.slice(0, beforeInstall).filter((t) => !onTestServer(t)));
  const withAddOn = proxy.requests.slice(beforeInstall);
  assert.ok(withAddOn.filter(onTestServer).length >= FIREFOX_PAGES.length, `only ${withAddOn.length} connections recorded`);
  const others = withAddOn.filter((t) => !onTestServer(t) && !firefoxOwn.has(t));
  assert.deepEqual(others, [], `connections to hosts neither the test server nor Firefox's own: ${JSON.stringify(others)}`);
  console.log(
    `Firefox scenario 5: ${withAddOn.length} connections with the add-on, ${withAddOn.filter(onTestServer).length} to the test server; ` +
      `Firefox's own (seen before the add-on too): ${JSON.stringify([...firefoxOwn])}`,
  );
});
