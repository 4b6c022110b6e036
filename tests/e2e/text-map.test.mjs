// The content script's text reading (extension/src/content/text-map.ts) on the DOM shapes the
// editors of the default sites produce: the text must read as the user sees it (one line per
// block, <br> as a line break, placeholder breaks ignored), and a span of that text must map
// back to exactly the DOM text it came from.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Editor markup (as each editor renders it) and the text a user sees in it. */
const CASES = {
  "plain contenteditable": ["Hi<div>MRN 4829137</div><div><br></div><div>end</div>", "Hi\nMRN 4829137\n\nend"],
  "Draft.js (X)": [
    '<div data-contents="true"><div data-block="true"><div data-offset-key="a"><span data-offset-key="a"><span data-text="true">Hi</span></span></div></div>' +
      '<div data-block="true"><div data-offset-key="b"><span data-offset-key="b"><br data-text="true"></span></div></div>' +
      '<div data-block="true"><div data-offset-key="c"><span data-offset-key="c"><span data-text="true">MRN </span></span><span data-offset-key="d"><span data-text="true">4829137</span></span></div></div></div>',
    "Hi\n\nMRN 4829137",
  ],
  "Lexical (Facebook)": ['<p dir="auto"><span data-lexical-text="true">Hi</span><br><br><span data-lexical-text="true">MRN 4829137</span></p>', "Hi\n\nMRN 4829137"],
  "Quill (LinkedIn)": ["<p>Hi</p><p><br></p><p>MRN <strong>4829137</strong></p>", "Hi\n\nMRN 4829137"],
  "ProseMirror (Bluesky)": ['<p>Hi<br>MRN 4829137</p><p><br class="ProseMirror-trailingBreak"></p><p>end</p>', "Hi\nMRN 4829137\n\nend"],
  "Slate": [
    '<div data-slate-node="element"><span data-slate-node="text"><span data-slate-leaf="true"><span data-slate-string="true">Hi MRN 4829137</span></span></span></div>' +
      '<div data-slate-node="element"><span data-slate-node="text"><span data-slate-leaf="true"><span data-slate-length="0">\uFEFF<br></span></span></span></div>',
    "Hi MRN 4829137\n\uFEFF",
  ],
};

let browser;
let page;

before(async () => {
  const bundle = await build({
    entryPoints: [join(here, "..", "..", "extension", "src", "content", "text-map.ts")],
    bundle: true,
    format: "iife",
    globalName: "textMap",
    write: false,
    logLevel: "warning",
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  page = await browser.newPage();
  await page.setContent("<div id=editor contenteditable=true></div>");
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
});

after(async () => {
  await browser?.close();
});

for (const [editor, [html, expected]] of Object.entries(CASES)) {
  test(`text map: ${editor}`, async () => {
    const { text, mapped } = await page.evaluate(
      ([html, words]) => {
        const root = document.getElementById("editor");
        root.innerHTML = html;
        const map = textMap.readTextMap(root);
        const at = map.text.indexOf(words);
        const mapped = textMap.rangesFor(map, at, at + words.length).map(String).join("");
        return { text: map.text, mapped };
      },
      [html, "4829137"],
    );
    assert.equal(text, expected);
    assert.equal(mapped, "4829137");
  });
}
