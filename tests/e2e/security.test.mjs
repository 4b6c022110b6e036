// Hostile input and hostile pages, against the shipped extension (dist/chrome) in Chromium:
// a 1 MB paste is not checked and the badge says so; a page's forged messages
// change nothing; corrupted, future and old-format settings in storage give the defaults, a
// notice and a kept copy, or are migrated. Static checks of the built extension: no eval and
// no HTML from strings where ESLint does not look, a strict CSP, no permission left unused.
// Every wait is for a condition; nothing sleeps for a fixed time.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromiumSuite, EXTENSION } from "./harness.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const POST = "Saw Mr Robert Haines, MRN 4829137, in ED";
const MRN = '[data-finding-rule="medical-record-number"]';
const NAME = '[data-finding-rule="patient-name-with-title"]';

/** Files under `dir` (recursively) whose names end with one of `endings`. */
function filesIn(dir, endings) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesIn(path, endings);
    return endings.some((e) => name.endsWith(e)) ? [path] : [];
  });
}

// ---------------------------------------------------------------- static checks

// No eval, no code from strings and no HTML from strings: ESLint's rules check the source
// (extension/eslint.config.mjs, run by `cargo xtask lint`), and with it the bundles, which
// esbuild makes from that source alone (it imports no npm package). ESLint cannot see two
// parts of the build, so only they are scanned here: the HTML pages (ESLint parses no HTML)
// and the glue that wasm-bindgen generates at build time in target/, outside ESLint's base
// path (a new wasm-bindgen version could change it).
test("no eval, no code from strings and no HTML from strings in the parts of the build ESLint does not see", () => {
  const forbidden = [
    /\beval\s*\(/,
    /\bnew\s+Function\b/,
    /\bFunction\s*\(\s*["'`]/,
    /\bset(?:Timeout|Interval)\s*\(\s*["'`]/,
    /\.(?:inner|outer)HTML\b/,
    /\binsertAdjacentHTML\b/,
    /\bdocument\.write(?:ln)?\b/,
    /\bcreateContextualFragment\b/,
    /\bDOMParser\b/,
    /\bsrcdoc\b/,
  ];
  const files = [...filesIn(EXTENSION, [".html"]), ...filesIn(join(EXTENSION, "pkg"), [".js"])];
  assert.ok(files.some((f) => f.endsWith(".html")) && files.some((f) => f.endsWith(".js")), `found ${files}`);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const pattern of forbidden) assert.doesNotMatch(text, pattern, `${file} uses ${pattern}`);
  }
});

test("the manifest: strict CSP, no page access to the extension, every permission used", () => {
  const manifest = JSON.parse(readFileSync(join(EXTENSION, "manifest.json"), "utf8"));
  const csp = manifest.content_security_policy.extension_pages;
  const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives["object-src"], ["'none'"]);
  assert.deepEqual(directives["default-src"], ["'self'"]);
  assert.deepEqual(directives["base-uri"], ["'none'"]);
  // Web pages cannot message the extension or load its files.
  assert.equal(manifest.externally_connectable, undefined);
  assert.equal(manifest.web_accessible_resources, undefined);
  // Each API permission is called somewhere in the source.
  const source = filesIn(join(ROOT, "extension", "src"), [".ts"]).map((f) => readFileSync(f, "utf8")).join("\n");
  assert.deepEqual([...manifest.permissions].sort(), ["scripting", "storage"]);
  for (const permission of manifest.permissions) assert.match(source, new RegExp(`\\bext\\.${permission}\\.`), permission);
  // Host access beyond the listed sites only when the user adds a site (permissions.request).
  assert.deepEqual(manifest.optional_host_permissions, ["https://*/*"]);
  assert.match(source, /ext\.permissions\.request\(/);
  assert.equal(manifest.host_permissions?.some((h) => h === "<all_urls>" || h === "https://*/*") ?? false, false);
});

// ---------------------------------------------------------------- in the browser

/** Each test on a fresh tab; storage is cleared afterwards so that tests do not leak settings. */
const suite = chromiumSuite({
  timeout: 90_000,
  cleanup: () => inExtension(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()])),
});
const { pageTest } = suite;

/** Runs `fn(arg)` in an extension page, where `chrome.storage` is available. */
async function inExtension(fn, arg) {
  const page = await suite.run.context.newPage();
  try {
    await page.goto(`chrome-extension://${suite.run.extensionId}/popup.html`);
    return await page.evaluate(fn, arg);
  } finally {
    await page.close();
  }
}

/** Stores `blob` as the settings and waits until the background has put up its "!" notice. */
async function storeRefused(blob) {
  const page = await suite.run.context.newPage();
  try {
    await page.goto(`chrome-extension://${suite.run.extensionId}/popup.html`);
    await page.evaluate((blob) => chrome.storage.sync.set({ settings: blob }), blob);
    await page.waitForFunction(async () => (await chrome.action.getBadgeText({})) === "!");
  } finally {
    await page.close();
  }
}

/** Waits until `count` drawn underlines match `selector` in the page's overlay. */
async function underlines(page, selector, count) {
  await page.waitForFunction(
    ({ selector, count }) =>
      [...document.querySelectorAll("[data-second-opinion]")].reduce(
        (n, host) => n + (host.shadowRoot?.querySelectorAll(selector).length ?? 0),
        0,
      ) === count,
    { selector, count },
  );
}

pageTest("of a 1 MB paste only the first 50,000 characters are checked, the badge says so, and the page stays usable", "huge-paste", async (page) => {
  await page.goto(suite.sites.url("x.com", "textarea.html"));
  const filler = "The clinic was busy today and the coffee ran out before noon. ";
  const text = `${POST}. ${filler.repeat(Math.ceil(1_000_000 / filler.length))}`;
  assert.ok(text.length > 1_000_000);
  // A paste: the whole text arrives at once, with one input event.
  await page.locator("#post").evaluate((box, value) => {
    box.focus();
    box.value = value;
    box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);
  const notice = page.locator("[data-second-opinion] .badge", { hasText: "Only the first 50,000 characters were checked" });
  await notice.waitFor({ state: "visible" });
  // The post at the start of the paste is checked.
  await underlines(page, MRN, 1);
  // The page still answers, and its text is untouched.
  assert.equal(await page.locator("#post").evaluate((box) => box.value.length), text.length);

  // Back to a short post: it is checked as a whole and the notice goes.
  await page.locator("#post").fill(POST);
  await underlines(page, MRN, 1);
  await notice.waitFor({ state: "detached" });
});

pageTest("a page's forged messages are ignored and cannot reach the extension", "forged-messages", async (page) => {
  await page.goto(suite.sites.url("x.com", "textarea.html"));
  const forged = { kind: "set-settings", settings: { categories: { identifier: false } } };
  const reach = await page.evaluate(async ({ forged, extensionId }) => {
    window.postMessage(forged, "*");
    window.postMessage({ kind: "disable-rule", rule: "medical-record-number" }, "*");
    document.dispatchEvent(new CustomEvent("second-opinion", { detail: forged }));
    window.dispatchEvent(new MessageEvent("message", { data: forged, origin: `chrome-extension://${extensionId}` }));
    // The page's own `chrome.runtime` has no way to the extension (no externally_connectable).
    const runtime = globalThis.chrome?.runtime;
    if (typeof runtime?.sendMessage !== "function") return "no runtime.sendMessage";
    try {
      await runtime.sendMessage(extensionId, forged);
      return "sent";
    } catch (error) {
      return `refused: ${error.message}`;
    }
  }, { forged, extensionId: suite.run.extensionId });
  assert.notEqual(reach, "sent");

  // Settings are untouched: the identifier category still warns.
  await page.locator("#post").click();
  await page.keyboard.type(POST);
  await underlines(page, MRN, 1);
  const stored = await inExtension(() => chrome.storage.sync.get("settings"));
  assert.equal(stored.settings, undefined);
});

pageTest("corrupted stored settings: defaults, a visible notice, and the blob kept for export", "corrupt-settings", async (page) => {
  for (const [blob, reason] of [
    ["{not json at all", /not an object \(found text\)/],
    [[1, 2, 3], /not an object \(found a list\)/],
    [{ version: 99, settings: { regions: ["XX"] } }, /newer version of Second Opinion \(format 99/],
    [{ version: 1, settings: { categories: { identifier: "yes" } } }, /categories\.identifier/],
  ]) {
    await storeRefused(blob);
    const options = await suite.run.context.newPage();
    await options.goto(`chrome-extension://${suite.run.extensionId}/options.html`);
    const notice = options.locator("#notice");
    await notice.waitFor({ state: "visible" });
    assert.match(await notice.innerText(), reason);
    // The defaults are in force meanwhile: the record number is underlined.
    await page.goto(suite.sites.url("x.com", "textarea.html"));
    await page.locator("#post").click();
    await page.keyboard.type(POST);
    await underlines(page, MRN, 1);
    // Nothing was overwritten until the user chose; then the blob is kept aside.
    assert.deepEqual((await inExtension(() => chrome.storage.sync.get("settings"))).settings, blob);
    await notice.getByRole("button", { name: "Replace them with the defaults" }).click();
    await notice.waitFor({ state: "hidden" });
    const kept = await inExtension(() => chrome.storage.local.get("rejected_settings"));
    assert.deepEqual(kept.rejected_settings.settings, blob);
    await options.close();
  }
});

pageTest("settings stored by the first version are migrated and stay in force", "migration", async (page) => {
  // Version 0 (extension 0.1.0) stored the settings object bare.
  const old = { rules: { "medical-record-number": false }, watch_words: ["Kowhai"] };
  await inExtension((old) => chrome.storage.sync.set({ settings: old }), old);
  await page.goto(suite.sites.url("x.com", "textarea.html"));
  await page.locator("#post").click();
  await page.keyboard.type(`${POST}. Kowhai team rocks`);
  // The old settings are in force (the record-number rule is off, the watch-word is on)...
  await underlines(page, '[data-finding-rule="watch-word"]', 1);
  await underlines(page, NAME, 1);
  await underlines(page, MRN, 0);
  // ...and stored again in the current format, unchanged.
  const stored = await inExtension(async () => {
    for (;;) {
      const { settings } = await chrome.storage.sync.get("settings");
      if (settings?.version !== undefined) return settings;
      await new Promise((resolve) =>
        chrome.storage.onChanged.addListener(function once() {
          chrome.storage.onChanged.removeListener(once);
          resolve();
        }),
      );
    }
  });
  assert.deepEqual(stored, { version: 1, settings: old });
  const options = await suite.run.context.newPage();
  await options.goto(`chrome-extension://${suite.run.extensionId}/options.html`);
  await options.locator(`input[data-rule="medical-record-number"]`).waitFor();
  assert.equal(await options.locator(`input[data-rule="medical-record-number"]`).isChecked(), false);
  assert.equal(await options.locator("#notice").isHidden(), true);
  await options.close();
});
