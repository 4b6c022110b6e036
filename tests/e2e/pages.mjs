// The test pages as data: one entry per compose box, each turned into an HTML page by one
// template when the harness serves it. The browser tests run their scenarios over PAGES, so a
// new editor is one entry here (and, for a bundled editor, its pages/NAME-page.mjs).

/** A compose box in the layout the editor pages share. */
const shell = (inner) => `<div class="editor-shell">${inner}</div>`;
const editable = (label) => `<div id="editor" contenteditable="true" role="textbox" aria-label="${label}"></div>`;

/**
 * Every page the tests open. Fields:
 * - `name` (shown in test titles), `file` (served as /FILE), `site` (a host from the manifest's
 *   list, resolved to this machine), `title` and `body` (the page's content);
 * - `bundle`: pages/BUNDLE-page.mjs, bundled with esbuild and loaded as a module;
 * - `box`: the compose box's selector; `field`: a textarea or input (its value is the text);
 *   `model`: the page exposes `editorText()`, the text in the editor's own model;
 * - `frame`: the box is in this iframe; `open`: the box exists only after this is clicked, at
 *   the end of a long scrolled feed;
 * - `csp`: the Content-Security-Policy header the page is served with;
 * - `randomAttributes`: attributes whose values the editor makes up afresh on every load
 *   (compared by the order they appear in, not by value);
 * - `keyboard`: how a keyboard user reaches the underlines: "tab" from the box, or
 *   "shift-tab" back from the Post button after it (where the editor keeps Tab for itself).
 */
export const PAGES = [
  {
    name: "textarea", file: "textarea.html", site: "x.com", title: "textarea",
    body: `<div class="composer"><textarea id="post" placeholder="What's happening?"></textarea></div>`,
    box: "#post", field: true,
  },
  {
    name: "input", file: "input.html", site: "www.facebook.com", title: "input",
    body: `<div class="composer"><input id="post" type="text" placeholder="Add a comment"></div>`,
    box: "#post", field: true,
  },
  {
    name: "contenteditable", file: "contenteditable.html", site: "x.com", title: "contenteditable",
    body: shell(editable("What's on your mind?")), box: "#editor",
  },
  {
    name: "Draft.js", file: "draft.html", site: "x.com", title: "Draft.js, as X",
    body: shell(`<div id="root"></div>`), bundle: "draft", box: "#root [contenteditable=true]", model: true,
    randomAttributes: ["data-offset-key", "data-editor"],
  },
  {
    name: "Lexical", file: "lexical.html", site: "www.facebook.com", title: "Lexical, as Facebook",
    body: shell(editable("What's on your mind?")), bundle: "lexical", box: "#editor", model: true,
  },
  {
    name: "Quill", file: "quill.html", site: "www.linkedin.com", title: "Quill, as LinkedIn",
    body: shell(`<div id="editor"></div>`), bundle: "quill", box: ".ql-editor", model: true, keyboard: "shift-tab",
  },
  {
    name: "ProseMirror", file: "prosemirror.html", site: "bsky.app", title: "ProseMirror, as Bluesky",
    body: shell(`<div id="editor"></div>`), bundle: "prosemirror", box: ".ProseMirror", model: true,
  },
  {
    name: "Slate", file: "slate.html", site: "www.facebook.com", title: "Slate",
    body: shell(`<div id="root"></div>`), bundle: "slate", box: "[data-slate-editor]", model: true,
  },
  {
    name: "strict CSP (Lexical)", file: "csp.html", site: "www.facebook.com", title: "Lexical, strict CSP",
    body: shell(editable("What's on your mind?")), bundle: "lexical", box: "#editor", model: true,
    csp: "default-src 'none'; script-src 'self'; style-src 'self'",
  },
  {
    name: "same-origin iframe", file: "iframe.html", site: "x.com", title: "editor in a same-origin iframe",
    body: `<iframe id="frame" src="iframe-inner.html" title="Compose"></iframe>`, box: "#editor", frame: "#frame",
  },
  {
    name: "added after load", file: "dynamic.html", site: "x.com", title: "reply box added after load",
    body: `<button id="reply" type="button">Reply</button><main id="feed"></main>`, bundle: "dynamic",
    box: "#editor", open: "#reply",
  },
];

/** Pages that only other pages load (not opened by the tests themselves). */
const FRAMES = [{ file: "iframe-inner.html", title: "compose frame", body: shell(editable("Write a post")) }];

/** The scripts to bundle: pages/NAME-page.mjs → NAME.js. */
export const BUNDLES = [...new Set(PAGES.flatMap((p) => (p.bundle ? [p.bundle] : [])))];

/** The page served as `file`, or null. Styles and scripts are files of their own, so a strict CSP allows them. */
export function pageHtml(file) {
  const page = PAGES.find((p) => p.file === file) ?? FRAMES.find((p) => p.file === file);
  if (!page) return null;
  const css = page.bundle && ["quill", "prosemirror"].includes(page.bundle) ? [`${page.bundle}.css`] : [];
  const heading = FRAMES.includes(page) ? "" : "<h1>Create post</h1>";
  const post = FRAMES.includes(page) ? "" : `<p><button type="button" id="post-button">Post</button></p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Compose (${page.title})</title>
${["editor-page.css", ...css].map((href) => `<link rel="stylesheet" href="${href}">`).join("\n")}
</head>
<body>
${heading}
${page.body}
${post}
${page.bundle ? `<script type="module" src="${page.bundle}.js"></script>` : ""}
</body>
</html>
`;
}

/** The page's Content-Security-Policy header, if it has one. */
export function pageCsp(file) {
  return PAGES.find((p) => p.file === file)?.csp;
}
