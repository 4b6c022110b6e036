// The benchmark in Chromium, with the shipped dist/chrome loaded through the browser tests'
// harness (tests/e2e/harness.mjs), printing the measurements as JSON. `cargo xtask bench`
// runs it with the texts it generated:  node tests/bench/browser.mjs TEXTS.json
//
// 1. The engine in a page: the shipped pkg/ loaded as the service worker loads it (streamed
//    from a URL), then measureEngine (engine.mjs) — start, first check, warm checks per text.
// 2. The extension at work on a page served as x.com: a 2,000-character post is typed
//    (the first 1,800 characters of clean prose pasted, the rest typed at 25 characters a
//    second, ending with a record number), and the page reports
//    - the time from the last keystroke to the record number's underline being drawn;
//    - the main thread's script time per keystroke (Chromium's ScriptDuration metric: the
//      test pages run no script of their own, so this is the content script's work plus
//      one keydown listener of this benchmark that stores a time stamp);
//    then the same with the extension's service worker stopped before the last words, so
//    they also start the worker and the engine again; and with the worker stopped before the
//    box gets focus and the typing starts (a composer opened after the browser stopped an
//    idle worker), where the focus asks the worker to start and warm up.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXTENSION, serveSites, startChromium } from "../e2e/harness.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const texts = JSON.parse(await readFile(process.argv[2], "utf8"));

/** Characters of the 2,000-character post that are typed key by key (the rest is pasted). */
const TYPED = 200;
/** Delay between keystrokes: 25 characters a second, a fast typist. */
const KEY_DELAY_MS = 40;
/** The last words typed; the record number is the post's only finding. */
const ENDING = " Saw him again today, MRN 4829137";
const RULE = "medical-record-number";

const sites = await serveSites();
const run = await startChromium();
try {
  const engine = await engineInPage();
  const typing = await typingOnPage(false);
  const restart = await typingOnPage(true);
  const focused = await typingOnPage(false, true);
  console.log(JSON.stringify({ engine, typing, restart, focused }));
} finally {
  await run.close();
  await sites.close();
}

/** measureEngine in a page whose files Playwright serves from dist/chrome/pkg and tests/bench. */
async function engineInPage() {
  const page = await run.context.newPage();
  const files = {
    "/pkg/second_opinion.js": [join(EXTENSION, "pkg", "second_opinion.js"), "text/javascript"],
    "/pkg/second_opinion_bg.wasm": [join(EXTENSION, "pkg", "second_opinion_bg.wasm"), "application/wasm"],
    "/engine.mjs": [join(here, "engine.mjs"), "text/javascript"],
  };
  await page.route("https://bench.invalid/**", async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = files[path];
    if (!file) return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>bench</title>" });
    return route.fulfill({ status: 200, contentType: file[1], body: await readFile(file[0]) });
  });
  await page.goto("https://bench.invalid/");
  const result = await page.evaluate(async (texts) => {
    const bindings = await import("/pkg/second_opinion.js");
    const { measureEngine } = await import("/engine.mjs");
    return measureEngine(bindings, "/pkg/second_opinion_bg.wasm", texts);
  }, texts);
  await page.close();
  return result;
}

/**
 * Types the post into the textarea page on x.com; with `restart`, the extension's service
 * worker is stopped before the last words (" Saw him again today, MRN 4829137") are typed;
 * with `refocus`, it is stopped before the box gets focus and the typing starts.
 */
async function typingOnPage(restart, refocus = false) {
  const page = await run.context.newPage();
  await page.goto(sites.url("x.com", "textarea.html"));
  const box = page.locator("#post");
  const clean = texts.find((t) => t.kind === "clean" && t.chars === 2_000).text;
  const pasted = clean.slice(0, 2_000 - TYPED);
  const typed = clean.slice(2_000 - TYPED, 2_000 - ENDING.length);
  await box.fill(pasted);
  // The text before the ending is clean: the record number's underline is the only one.
  await page.evaluate((rule) => {
    window.lastKey = 0;
    window.drawn = 0;
    // A check can run during a pause mid-typing: what counts is the first drawing after the
    // last keystroke.
    addEventListener(
      "keydown",
      () => {
        window.lastKey = performance.now();
        window.drawn = 0;
      },
      true,
    );
    const seen = () => {
      const found = document.querySelector("[data-second-opinion]")?.shadowRoot?.querySelector(`[data-finding-rule="${rule}"]`);
      if (found && !window.drawn) window.drawn = performance.now();
    };
    new MutationObserver(() => {
      const host = document.querySelector("[data-second-opinion]");
      if (host?.shadowRoot && !host.watched) {
        host.watched = true;
        new MutationObserver(seen).observe(host.shadowRoot, { childList: true, subtree: true, attributes: true });
      }
      seen();
    }).observe(document.body, { childList: true, subtree: true });
  }, RULE);
  if (refocus) {
    await stopWorker();
    await box.blur();
    await box.focus();
  }
  await box.press("End");
  const cdp = await run.context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const before = await metrics(cdp);
  await page.keyboard.type(typed, { delay: KEY_DELAY_MS });
  if (restart) await stopWorker();
  await page.keyboard.type(ENDING, { delay: KEY_DELAY_MS });
  await page.waitForFunction(() => window.drawn > window.lastKey);
  const after = await metrics(cdp);
  const toUnderline = await page.evaluate(() => window.drawn - window.lastKey);
  await cdp.detach();
  await page.close();
  const keys = typed.length + ENDING.length;
  return {
    keys,
    toUnderline,
    scriptPerKey: ((after.ScriptDuration - before.ScriptDuration) * 1000) / keys,
    taskPerKey: ((after.TaskDuration - before.TaskDuration) * 1000) / keys,
  };
}

async function metrics(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/**
 * Stops the extension's service worker through DevTools (as the browser tests' scenario 8
 * does, on a session attached to the extension's options page) and waits until it has.
 */
async function stopWorker() {
  const extensionPage = await run.context.newPage();
  await extensionPage.goto(`chrome-extension://${run.extensionId}/options.html`);
  const cdp = await run.context.newCDPSession(extensionPage);
  const statuses = [];
  const waiters = [];
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${run.extensionId}/`)) statuses.push(v.runningStatus);
    for (const w of waiters.splice(0)) w();
  });
  const reaches = async (status) => {
    while (!statuses.includes(status)) await new Promise((resolve) => waiters.push(resolve));
  };
  await cdp.send("ServiceWorker.enable");
  await reaches("running");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await reaches("stopped");
  await cdp.detach();
  await extensionPage.close();
}
