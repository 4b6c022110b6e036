// The shipped extension (dist/chrome) in Chromium on one page per kind of compose box, each
// editor built from its own npm package: a post with a patient identifier is underlined over
// the flagged words (scenario 1), a clean post is not (scenario 2), a post carrying an HTML
// payload shows it as inert text in the card (scenario 6), and, over the whole file, the browser
// makes no request except to the local test server and the extension's own files (scenario 5).
// Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { horizontalCover, serveSites, startChromium, withScreenshots, wordsBoxInEditor, wordsBoxInField } from "./harness.mjs";

const POST = "Saw Mr Robert Haines, MRN 4829137, in ED";
const RULE = "medical-record-number";
const FLAGGED = "4829137";
const CLEAN = "Flu vaccines are free for over-65s this winter.";
/** Appended to the clean post: proves a check covering the clean words has finished. */
const PROBE = " MRN 4829137";

const PAYLOAD = "<img src=x onerror=alert(1)>";

/**
 * The pages: where the box is, how to reach it, and (for editors with a model of their own)
 * whether the page exposes `editorText()` to read that model.
 */
const PAGES = [
  { name: "contenteditable", site: "x.com", file: "contenteditable.html", box: "#editor" },
  { name: "input", site: "www.facebook.com", file: "input.html", box: "#post", field: true },
  { name: "Draft.js", site: "x.com", file: "draft.html", box: "#root [contenteditable=true]", model: true },
  { name: "Quill", site: "www.facebook.com", file: "quill.html", box: ".ql-editor", model: true },
  { name: "ProseMirror", site: "x.com", file: "prosemirror.html", box: ".ProseMirror", model: true },
  { name: "Slate", site: "www.facebook.com", file: "slate.html", box: "[data-slate-editor]", model: true },
  { name: "strict CSP (Lexical)", site: "www.facebook.com", file: "csp.html", box: "#editor", model: "lexicalText",
    csp: "default-src 'none'; script-src 'self'; style-src 'self'" },
  { name: "same-origin iframe", site: "x.com", file: "iframe.html", box: "#editor", frame: "#frame" },
  { name: "added after load", site: "x.com", file: "dynamic.html", box: "#editor", open: "#reply" },
];

let sites;
let run;
/** Every request the browser context made while this file ran (pages and service worker). */
const requests = [];

before(async () => {
  sites = await serveSites();
  run = await startChromium();
  run.context.on("request", (request) =>
    requests.push({ url: request.url(), fromWorker: request.serviceWorker() !== null, type: request.resourceType() }),
  );
});

after(async () => {
  await run?.close();
  await sites?.close();
});

/** A test on a fresh tab; on failure, screenshots of every open page go to out/. */
function pageTest(title, name, body) {
  test(title, async () => {
    const page = await run.context.newPage();
    const dialogs = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      await withScreenshots(run.context, name, () => body(page, dialogs));
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

/**
 * The underlines drawn in the frame's document, with their boxes in that document's viewport
 * (so an iframe's underlines and words are measured in the same coordinates).
 */
function underlinesIn() {
  return [...document.querySelectorAll("[data-second-opinion]")].flatMap((host) =>
    [...(host.shadowRoot?.querySelectorAll("[data-finding-rule]") ?? [])].map((line) => {
      const { x, y, width, height } = line.getBoundingClientRect();
      return { rule: line.dataset.findingRule, category: line.dataset.findingCategory, box: { x, y, width, height } };
    }),
  );
}

async function waitForRule(frame, rule) {
  await frame.waitForFunction(
    (rule) =>
      [...document.querySelectorAll("[data-second-opinion]")].some((host) => {
        const line = host.shadowRoot?.querySelector(`[data-finding-rule="${rule}"]`);
        return line && line.getBoundingClientRect().width > 0;
      }),
    rule,
  );
  return frame.evaluate(underlinesIn);
}

/** Where the browser draws `words` in the box, measured independently of the extension. */
function wordsBox(spec, box, text, words) {
  return spec.field ? box.evaluate(wordsBoxInField, { post: text, words }) : box.evaluate(wordsBoxInEditor, { words });
}

/** The editor's own record of its text: the field's value, the model, or the DOM text. */
async function editorText(spec, frame, box) {
  if (spec.field) return box.inputValue();
  if (spec.model) return frame.evaluate((fn) => window[fn](), spec.model === true ? "editorText" : spec.model);
  return box.evaluate((node) => node.innerText.replace(/\n$/, ""));
}

function overlaps(a, b) {
  return (
    Math.min(a.x + a.width, b.x + b.width) > Math.max(a.x, b.x) && Math.min(a.y + a.height, b.y + b.height) > Math.max(a.y, b.y)
  );
}

for (const spec of PAGES) {
  const slug = spec.name.toLowerCase().replace(/[^a-z]+/g, "-");

  pageTest(`scenario 1, ${spec.name} on ${spec.site}: the record number is underlined as an identifier`, `s1-${slug}`, async (page) => {
    const { frame, box } = await openBox(page, spec);
    await page.keyboard.type(POST);
    const underlines = await waitForRule(frame, RULE);
    assert.equal(await editorText(spec, frame, box), POST, "the editor's text is not what was typed");

    const words = await wordsBox(spec, box, POST, FLAGGED);
    const line = underlines.find((u) => u.rule === RULE);
    assert.equal(line.category, "identifier");
    const { cover, meets } = horizontalCover(line.box, words);
    assert.ok(cover > 0.8 && meets, `underline ${JSON.stringify(line.box)} does not cover ${JSON.stringify(words)}`);
    // The host is beside the box, never inside it where the editor would take it for content.
    assert.equal(await box.evaluate((node) => node.querySelector("[data-second-opinion]") === null), true);
  });

  pageTest(`scenario 2, ${spec.name} on ${spec.site}: a clean post has no underline`, `s2-${slug}`, async (page) => {
    const { frame, box } = await openBox(page, spec);
    await page.keyboard.type(CLEAN);
    // There is no sign of "checked, nothing found", so a record number is added after the
    // clean post: once it is underlined, a check of the whole text has been drawn, and no
    // underline may touch the clean words.
    await page.keyboard.type(PROBE);
    const underlines = await waitForRule(frame, RULE);
    const clean = await wordsBox(spec, box, CLEAN + PROBE, CLEAN);
    const onClean = underlines.filter((u) => overlaps(u.box, clean));
    assert.deepEqual(onClean, [], `underlines over the clean post: ${JSON.stringify(onClean)}`);
    assert.deepEqual(
      underlines.map((u) => u.rule),
      [RULE],
      "only the record number is flagged",
    );
    // Removing the record number removes every underline.
    for (let i = 0; i < PROBE.length; i += 1) await page.keyboard.press("Backspace");
    await frame.waitForFunction(() =>
      [...document.querySelectorAll("[data-second-opinion]")].every((host) => !host.shadowRoot?.querySelector("[data-finding-rule]")),
    );
    assert.equal(await editorText(spec, frame, box), CLEAN);
  });
}

/** Sets the stored settings as the options page would, and waits for the worker to apply them. */
async function setSettings(settings) {
  await run.worker.evaluate((settings) => chrome.storage.sync.set({ settings }), settings);
}

for (const spec of [PAGES[0], PAGES[4], { name: "textarea", site: "x.com", file: "textarea.html", box: "#post", field: true }]) {
  const slug = spec.name.toLowerCase().replace(/[^a-z]+/g, "-");
  pageTest(`scenario 6, ${spec.name}: an HTML payload in the post stays inert text in the card`, `s6-${slug}`, async (page, dialogs) => {
    // A watch-word equal to the payload makes the engine report the payload itself as the
    // flagged text, so the card has to show it.
    await setSettings({ watch_words: [PAYLOAD] });
    try {
      const { frame, box } = await openBox(page, spec);
      const post = `MRN ${FLAGGED} ${PAYLOAD}`;
      await page.keyboard.type(post);
      await waitForRule(frame, RULE);
      await waitForRule(frame, "watch-word");
      assert.equal(await editorText(spec, frame, box), post);

      const words = await wordsBox(spec, box, post, spec.field ? PAYLOAD : "onerror");
      await page.mouse.move(words.x + words.width / 2, words.y + words.height / 2);
      const card = page.locator("[data-second-opinion] .card");
      await card.waitFor({ state: "visible" });
      assert.ok((await card.innerText()).includes(`Found: “${PAYLOAD}”`), await card.innerText());

      const images = await page.evaluate(() => ({
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
}

/** Scenario 1's other posts: each must be underlined, with its category, over these words. */
const ANGRY = { post: "@DrSmith you're an absolute idiot", category: "tone", words: "idiot" };
const PROMOTION = { post: "Loving GlowLab serum, use code GLOW20 for 20% off!", category: "conflict", words: "GLOW20" };

/** Waits until an underline of `category` is drawn in the frame, and gives every underline. */
async function waitForCategory(frame, category) {
  await frame.waitForFunction(
    (category) =>
      [...document.querySelectorAll("[data-second-opinion]")].some((host) => {
        const line = host.shadowRoot?.querySelector(`[data-finding-category="${category}"]`);
        return line && line.getBoundingClientRect().width > 0;
      }),
    category,
  );
  return frame.evaluate(underlinesIn);
}

for (const spec of [{ name: "textarea", site: "x.com", file: "textarea.html", box: "#post", field: true }, PAGES[4]]) {
  const slug = spec.name.toLowerCase().replace(/[^a-z]+/g, "-");
  for (const { post, category, words } of [ANGRY, PROMOTION]) {
    pageTest(`scenario 1, ${spec.name} on ${spec.site}: "${post}" is underlined as ${category}`, `s1-${category}-${slug}`, async (page) => {
      const { frame, box } = await openBox(page, spec);
      await page.keyboard.type(post);
      const underlines = await waitForCategory(frame, category);
      assert.equal(await editorText(spec, frame, box), post, "the editor's text is not what was typed");
      const flagged = await wordsBox(spec, box, post, words);
      const lines = underlines.filter((u) => u.category === category);
      assert.ok(
        lines.some((u) => overlaps(u.box, flagged)),
        `no ${category} underline ${JSON.stringify(underlines)} overlaps "${words}" ${JSON.stringify(flagged)}`,
      );
    });
  }
}

test("scenario 5: the only requests are the test pages and the extension's own files", async () => {
  // The recorder sees the service worker's requests too: a fetch made there must show up.
  const probe = await run.worker.evaluate(async () => {
    const url = chrome.runtime.getURL("manifest.json");
    await fetch(url);
    return url;
  });
  const deadline = Date.now() + 5000;
  while (!requests.some((r) => r.url === probe && r.fromWorker)) {
    assert.ok(Date.now() < deadline, "the service worker's request was not recorded");
    await new Promise((resolve) => setImmediate(resolve));
  }

  const server = new URL(sites.url("x.com", "")).port;
  const allowed = (url) => {
    const { protocol, hostname, port } = new URL(url);
    if (protocol === "chrome-extension:") return hostname === run.extensionId;
    return protocol === "https:" && ["x.com", "www.facebook.com"].includes(hostname) && port === server;
  };
  const pageRequests = requests.filter((r) => !r.url.startsWith("chrome-extension:"));
  assert.ok(pageRequests.length > 0, `only ${pageRequests.length} page requests recorded`);
  const others = requests.filter((r) => !allowed(r.url));
  assert.deepEqual(others, [], `requests outside the test server and the extension: ${JSON.stringify(others)}`);
  // The extension itself asks nothing of the page's server either: every request to it is one
  // a page made for its own document, scripts, styles or frames (or the favicon).
  const fromWorker = requests.filter((r) => r.fromWorker && !r.url.startsWith("chrome-extension:"));
  assert.deepEqual(fromWorker, []);
  const count = (pred) => requests.filter(pred).length;
  console.log(
    `scenario 5: ${requests.length} requests recorded: ${count((r) => !r.url.startsWith("chrome-extension:"))} to the test server, ` +
      `${count((r) => r.url.startsWith("chrome-extension:"))} to the extension's files`,
  );
});
