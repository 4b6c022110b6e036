// The shipped extension (dist/chrome) in Chromium, every scenario on every page of pages.mjs
// (one compose box each, the editors built from their own npm packages):
//  1. posts with a patient identifier, an angry reply and an undisclosed promotion are
//     underlined over the flagged words, with their categories;
//  2. clean posts are not;
//  3. the card opens by hover, click and keyboard, shows the guide section and the tip; "Ignore
//     here" hides that finding only; "Turn off this rule" removes the rule's underlines and the
//     settings page shows it off;
//  4. typing, caret moves, selecting, deleting and undoing leave the editor exactly as the same
//     keystrokes do in a browser without the extension;
//  6. an HTML payload in the post is shown as inert text in the card;
//  7. pausing the site in the popup removes every underline, un-pausing brings them back;
//  8. with the service worker stopped mid-session, the next keystrokes are checked;
// and, over the whole file, 5: no request leaves for anywhere but the test server's pages.
// Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  horizontalCover,
  serveSites,
  SITES,
  startChromium,
  startChromiumWithoutExtension,
  withScreenshots,
  wordsBoxInEditor,
  wordsBoxInField,
} from "./harness.mjs";
import { PAGES } from "./pages.mjs";
import {
  boxState,
  CLEAN_POSTS,
  editorSettled,
  FLAGGED,
  FLAGGED_POSTS,
  INTEGRITY_STEPS,
  NAME_RULE,
  overlaps,
  POST,
  PROBE,
  RULE,
  underlineCount,
  underlinesIn,
} from "./scenarios.mjs";

const PAYLOAD = "<img src=x onerror=alert(1)>";
const CARD = "[data-second-opinion] .card";

let sites;
/** Chromium with the extension, and the same browser without it (scenario 4's baseline). */
let run;
let bare;
/** An extension page kept open: it reads and writes the settings as the extension's own pages do. */
let control;
/** DevTools' view of the extension's service worker, and its running statuses as reported. */
let workerSession;
const workerStatuses = [];
const statusWaiters = [];
/** Every request the browser context made while this file ran (pages and service worker). */
const requests = [];
/** The URL the service worker fetched to prove its requests are recorded too. */
let workerProbe;

before(async () => {
  sites = await serveSites();
  [run, bare] = await Promise.all([startChromium(), startChromiumWithoutExtension()]);
  run.context.on("request", (request) =>
    requests.push({ url: request.url(), fromWorker: request.serviceWorker() !== null, type: request.resourceType() }),
  );
  workerProbe = await run.worker.evaluate(async () => {
    const url = chrome.runtime.getURL("manifest.json");
    await fetch(url);
    return url;
  });
  control = await run.context.newPage();
  await control.goto(`chrome-extension://${run.extensionId}/options.html`);
  // The worker lives in the extension's origin: a DevTools session on one of its pages can
  // follow and stop it.
  workerSession = await run.context.newCDPSession(control);
  workerSession.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${run.extensionId}/`)) workerStatuses.push(v.runningStatus);
    for (const wake of statusWaiters.splice(0)) wake();
  });
  await workerSession.send("ServiceWorker.enable");
});

after(async () => {
  await workerSession?.detach().catch(() => undefined);
  await Promise.all([run?.close(), bare?.close()]);
  await sites?.close();
});

/** Waits until the worker has reported `status` at or after position `from` of its history. */
async function workerReaches(status, from) {
  while (workerStatuses.indexOf(status, from) < 0) await new Promise((wake) => statusWaiters.push(wake));
}

/** Sets the stored settings as the settings page would; the extension applies them at once. */
async function setSettings(settings) {
  await control.evaluate((settings) => chrome.storage.sync.set({ settings }), settings);
}

/** A test on a fresh tab; on failure, screenshots of every open page go to out/. */
function pageTest(title, name, body, context = () => run.context) {
  test(title, async () => {
    const page = await context().newPage();
    const dialogs = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      await withScreenshots(context(), name, () => body(page, dialogs));
    } finally {
      await page.close();
    }
  });
}

/** Opens the page and gives the frame that holds the box, with the box focused by a click. */
async function openBox(page, spec) {
  const response = await page.goto(sites.url(spec.site, spec.file));
  if (spec.csp) {
    assert.equal(response.headers()["content-security-policy"], spec.csp);
    // The policy is enforced: a style element the page's own world adds is refused.
    const applied = await page.evaluate(async () => {
      const style = document.createElement("style");
      style.textContent = "body { --csp-probe: on; }";
      document.head.append(style);
      return getComputedStyle(document.body).getPropertyValue("--csp-probe").trim();
    });
    assert.equal(applied, "", "the page's CSP did not refuse an inline style");
  }
  let frame = page.mainFrame();
  if (spec.frame) {
    frame = await (await page.locator(spec.frame).elementHandle()).contentFrame();
    await frame.waitForLoadState();
  }
  if (spec.open) {
    // A long feed scrolled to its end, then the reply box is created.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => window.scrollY > 0);
    await page.locator(spec.open).click();
  }
  const box = frame.locator(spec.box);
  await box.click();
  return { frame, box };
}

/** Waits until `count` underlines of the rule (or of any rule, with `rule` null) are drawn in the frame. */
async function waitForCount(frame, rule, count) {
  await frame.waitForFunction(underlineCount, { rule, is: count });
}

/** Waits until an underline matching `attribute=value` is drawn with a size, and gives every underline. */
async function waitForUnderline(frame, attribute, value) {
  await frame.waitForFunction(
    ([attribute, value]) =>
      [...document.querySelectorAll("[data-second-opinion]")].some((host) => {
        const line = host.shadowRoot?.querySelector(`[${attribute}="${value}"]`);
        return line && line.getBoundingClientRect().width > 0;
      }),
    [attribute, value],
  );
  return frame.evaluate(underlinesIn);
}

/** Where the browser draws `words` in the box (in the frame's viewport), measured without the extension. */
function wordsBox(spec, box, text, words) {
  return spec.field ? box.evaluate(wordsBoxInField, { post: text, words }) : box.evaluate(wordsBoxInEditor, { words });
}

/** The middle of `words` in the top page's coordinates, for the mouse. */
async function wordsPoint(spec, frame, box, text, words) {
  const rect = await wordsBox(spec, box, text, words);
  const offset = spec.frame
    ? await frame.evaluate(() => {
        const r = frameElement.getBoundingClientRect();
        return { x: r.left + frameElement.clientLeft, y: r.top + frameElement.clientTop };
      })
    : { x: 0, y: 0 };
  return { x: offset.x + rect.x + rect.width / 2, y: offset.y + rect.y + rect.height / 2 };
}

/** The editor's text: its model's where the page exposes one, else the field's value or the box's text. */
async function text(box) {
  return (await box.evaluate(boxState, {})).text;
}

for (const spec of PAGES) {
  const slug = spec.file.replace(".html", "");

  describe(`${spec.name} on ${spec.site}`, () => {
    for (const { post, category, words } of FLAGGED_POSTS) {
      pageTest(`scenario 1: "${post}" is underlined as ${category} over "${words}"`, `s1-${category}-${slug}`, async (page) => {
        const { frame, box } = await openBox(page, spec);
        await page.keyboard.type(post);
        const underlines = await waitForUnderline(frame, "data-finding-category", category);
        assert.equal(await text(box), post, "the editor's text is not what was typed");
        const flagged = await wordsBox(spec, box, post, words);
        const covering = underlines.filter((u) => u.category === category && horizontalCover(u.box, flagged).meets);
        assert.ok(
          covering.some((u) => horizontalCover(u.box, flagged).cover > 0.8),
          `no ${category} underline in ${JSON.stringify(underlines)} covers "${words}" ${JSON.stringify(flagged)}`,
        );
        // The host is beside the box, never inside it where the editor would take it for content.
        assert.equal(await box.evaluate((node) => node.querySelector("[data-second-opinion]") === null), true);
      });
    }

    pageTest("scenario 2: clean posts have no underline", `s2-${slug}`, async (page) => {
      const { frame, box } = await openBox(page, spec);
      for (const clean of CLEAN_POSTS) {
        await box.evaluate((node) => node.focus());
        await page.keyboard.type(clean + PROBE);
        const underlines = await waitForUnderline(frame, "data-finding-rule", RULE);
        const cleanBox = await wordsBox(spec, box, clean + PROBE, clean.slice(0, 20));
        const onClean = underlines.filter((u) => overlaps(u.box, cleanBox));
        assert.deepEqual(onClean, [], `underlines over "${clean}": ${JSON.stringify(onClean)}`);
        assert.deepEqual(
          underlines.map((u) => u.rule),
          [RULE],
          "only the record number is flagged",
        );
        // Removing the whole post removes every underline.
        await page.keyboard.press("Control+a");
        await page.keyboard.press("Backspace");
        await waitForCount(frame, null, 0);
        assert.equal(await text(box), "");
      }
    });

    pageTest("scenario 3: the card opens by hover, click and keyboard; Ignore here; Turn off this rule", `s3-${slug}`, async (page) => {
      const { frame, box } = await openBox(page, spec);
      await page.keyboard.type(POST);
      await waitForCount(frame, RULE, 1);
      await waitForCount(frame, NAME_RULE, 1);
      const card = frame.locator(CARD);
      const assertCard = async (how) => {
        await card.waitFor({ state: "visible" });
        const shown = await card.innerText();
        assert.match(shown, /Medical record number/, `${how}: ${shown}`);
        assert.match(shown, /Guide §02 — Confidentiality/, `${how}: no guide section in ${shown}`);
        assert.match(shown, /Tip: \S/, `${how}: no tip in ${shown}`);
      };
      const number = await wordsPoint(spec, frame, box, POST, FLAGGED);

      // Hover, then leave: the card closes.
      await page.mouse.move(number.x, number.y);
      await assertCard("hover");
      await page.mouse.move(1, 1);
      await card.waitFor({ state: "detached" });

      // Click, then Escape.
      await page.mouse.click(number.x, number.y);
      await assertCard("click");
      await page.keyboard.press("Escape");
      await card.waitFor({ state: "detached" });

      // Keyboard: Tab from the box (or Shift+Tab back from the Post button) reaches the
      // underlines; on the count badge, Enter moves to the first underline.
      if (spec.keyboard === "shift-tab") {
        await frame.locator("#post-button").focus();
        await page.keyboard.press("Shift+Tab");
      } else {
        await box.evaluate((node) => node.focus());
        await page.keyboard.press("Tab");
      }
      const focused = () =>
        frame.evaluate(() => {
          const inner = document.activeElement?.shadowRoot?.activeElement;
          return inner?.className ?? null;
        });
      if ((await focused()) === "badge") await page.keyboard.press("Enter");
      await card.waitFor({ state: "visible" });
      const keyboardCard = await card.innerText();
      assert.match(keyboardCard, /Guide §02 — /);
      assert.match(keyboardCard, /Tip: \S/);
      await page.keyboard.press("Escape");
      await card.waitFor({ state: "detached" });

      // Ignore here hides that finding only.
      await page.mouse.click(number.x, number.y);
      await assertCard("click");
      await card.getByRole("button", { name: "Ignore here" }).click();
      await waitForCount(frame, RULE, 0);
      assert.equal(await frame.evaluate(underlineCount, { rule: NAME_RULE }), 1, "Ignore here hid another finding");

      // Turn off this rule (the name's): its underlines go, and the settings page shows it off.
      const name = await wordsPoint(spec, frame, box, POST, "Robert Haines");
      try {
        await page.mouse.click(name.x, name.y);
        await card.waitFor({ state: "visible" });
        assert.match(await card.innerText(), /Name with a title/);
        await card.getByRole("button", { name: "Turn off this rule" }).click();
        await waitForCount(frame, NAME_RULE, 0);
        const options = await run.context.newPage();
        await options.goto(`chrome-extension://${run.extensionId}/options.html`);
        const toggle = options.locator(`input[data-rule="${NAME_RULE}"]`);
        await toggle.waitFor();
        assert.equal(await toggle.isChecked(), false, "the settings page shows the rule on");
        assert.equal(await options.locator(`input[data-rule="${RULE}"]`).isChecked(), true);
        await options.close();
        assert.equal(await text(box), POST, "the editor's text was changed");
      } finally {
        await setSettings({});
      }
    });

    test("scenario 4: keystrokes leave the editor exactly as they do without the extension", async () => {
      /** Runs every step in a fresh tab; with the extension it waits for the warnings after each. */
      const runSteps = async (context, extension) => {
        const page = await context.newPage();
        try {
          let states;
          await withScreenshots(context, `s4-${slug}-${extension ? "extension" : "baseline"}`, async () => {
            const { frame, box } = await openBox(page, spec);
            states = [];
            const handle = await box.elementHandle();
            const settled = () => frame.waitForFunction(editorSettled, handle);
            for (const step of INTEGRITY_STEPS) {
              for (let s = step; s; s = s.then) {
                if (s.type) await page.keyboard.type(s.type);
                await settled();
                for (let i = 0; s.press && i < (s.times ?? 1); i += 1) {
                  await page.keyboard.press(s.press);
                  await settled();
                }
              }
              if (extension && step.expect !== undefined) await waitForCount(frame, RULE, step.expect);
              states.push({ step: step.what, ...(await box.evaluate(boxState, spec)) });
            }
          });
          return states;
        } finally {
          await page.close();
        }
      };
      // The two browsers are independent: they take the keystrokes side by side.
      const [without, withExtension] = await Promise.all([runSteps(bare.context, false), runSteps(run.context, true)]);
      assert.ok(without.every((s) => s.focused), "the editor lost focus on its own");
      assert.notEqual(without[0].text, "", "nothing was typed");
      for (let i = 0; i < without.length; i += 1) assert.deepEqual(withExtension[i], without[i], `after "${without[i].step}"`);
    });

    pageTest("scenario 6: an HTML payload in the post stays inert text in the card", `s6-${slug}`, async (page, dialogs) => {
      // A watch-word equal to the payload makes the engine report the payload itself as the
      // flagged text, so the card has to show it.
      await setSettings({ watch_words: [PAYLOAD] });
      try {
        const { frame, box } = await openBox(page, spec);
        const post = `MRN ${FLAGGED} ${PAYLOAD}`;
        await page.keyboard.type(post);
        await waitForUnderline(frame, "data-finding-rule", RULE);
        await waitForUnderline(frame, "data-finding-rule", "watch-word");
        assert.equal(await text(box), post);

        const point = await wordsPoint(spec, frame, box, post, spec.field ? PAYLOAD : "onerror");
        await page.mouse.move(point.x, point.y);
        const card = frame.locator(CARD);
        await card.waitFor({ state: "visible" });
        assert.ok((await card.innerText()).includes(`Found: “${PAYLOAD}”`), await card.innerText());

        const images = await frame.evaluate(() => ({
          page: document.querySelectorAll("img").length,
          overlay: [...document.querySelectorAll("[data-second-opinion]")].reduce(
            (n, host) => n + (host.shadowRoot?.querySelectorAll("img, script, iframe").length ?? 0),
            0,
          ),
        }));
        assert.deepEqual(images, { page: 0, overlay: 0 });
        assert.deepEqual(dialogs, []);
      } finally {
        await setSettings({});
      }
    });

    pageTest("scenarios 7 and 8: pausing the site in the popup; the service worker stopped mid-session", `s78-${slug}`, async (page) => {
      const { frame, box } = await openBox(page, spec);
      await page.keyboard.type(POST);
      await waitForCount(frame, RULE, 1);
      await waitForCount(frame, NAME_RULE, 1);
      const drawn = await frame.evaluate(underlineCount, {});

      // A test cannot click the toolbar button, so the popup is opened as a page and told which
      // tab is "active": only tabs.query is replaced; everything else is the real popup.
      const tabId = await control.evaluate(async (url) => (await chrome.tabs.query({ url }))[0].id, page.url());
      const popup = await run.context.newPage();
      try {
        await popup.addInitScript((id) => {
          if (location.pathname === "/popup.html") chrome.tabs.query = async () => [await chrome.tabs.get(id)];
        }, tabId);
        await popup.goto(`chrome-extension://${run.extensionId}/popup.html`);
        await popup.locator("#counts li", { hasText: "Patient identifiers" }).waitFor();
        assert.match(await popup.locator("#counts").innerText(), /2 — Patient identifiers/);

        await popup.locator("#site-enabled").uncheck();
        await waitForCount(frame, null, 0);
        await popup.locator("#site-enabled").check();
        await waitForCount(frame, null, drawn);
      } finally {
        await popup.locator("#site-enabled").check();
        await popup.close();
      }

      // Scenario 8: the worker is stopped; the next keystrokes add a second record number, and
      // it is underlined once the worker has started again (the page does not check on its own).
      await workerReaches("running", 0);
      const before = workerStatuses.length;
      await workerSession.send("ServiceWorker.stopAllWorkers");
      await workerReaches("stopped", before);
      const stopped = workerStatuses.length;
      await box.evaluate((node) => node.focus());
      await page.keyboard.press("End");
      await page.keyboard.type(" and MRN 5550123");
      await waitForCount(frame, RULE, 2);
      await workerReaches("running", stopped);
      const post = `${POST} and MRN 5550123`;
      assert.equal(await text(box), post);
      const number = await wordsBox(spec, box, post, "5550123");
      const lines = await frame.evaluate(underlinesIn);
      assert.ok(
        lines.some((l) => l.rule === RULE && horizontalCover(l.box, number).cover > 0.8 && horizontalCover(l.box, number).meets),
        `no underline ${JSON.stringify(lines)} covers the new record number ${JSON.stringify(number)}`,
      );
    });
  });
}

test("scenario 5: the only requests are the test pages and the extension's own files", async () => {
  // The recorder sees the service worker's requests too: its fetch made in before() shows up.
  assert.ok(requests.some((r) => r.url === workerProbe && r.fromWorker), "the service worker's request was not recorded");

  const server = new URL(sites.url(SITES[0], "")).port;
  const allowed = (url) => {
    const { protocol, hostname, port } = new URL(url);
    if (protocol === "chrome-extension:") return hostname === run.extensionId;
    return protocol === "https:" && SITES.includes(hostname) && port === server;
  };
  const pageRequests = requests.filter((r) => !r.url.startsWith("chrome-extension:"));
  assert.ok(pageRequests.length > PAGES.length, `only ${pageRequests.length} page requests recorded`);
  const others = requests.filter((r) => !allowed(r.url));
  assert.deepEqual(others, [], `requests outside the test server and the extension: ${JSON.stringify(others)}`);
  // The extension itself asks nothing of the page's server either.
  const fromWorker = requests.filter((r) => r.fromWorker && !r.url.startsWith("chrome-extension:"));
  assert.deepEqual(fromWorker, []);
  const count = (pred) => requests.filter(pred).length;
  console.log(
    `scenario 5: ${requests.length} requests recorded: ${count((r) => !r.url.startsWith("chrome-extension:"))} to the test server, ` +
      `${count((r) => r.url.startsWith("chrome-extension:"))} to the extension's files`,
  );
});
