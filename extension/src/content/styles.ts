/**
 * The overlay's stylesheet. It lives in the shadow root, so the page's CSS cannot reach it and
 * it cannot reach the page.
 */

import type { Category } from "../shared/engine-types";

/** Underline colours per category, dark enough to read on white and on dark themes' text. */
export const CATEGORY_COLOURS: Readonly<Record<Category, string>> = {
  identifier: "#c5221f",
  tone: "#b45309",
  conflict: "#7b1fa2",
};

const colourRules = Object.entries(CATEGORY_COLOURS)
  .map(([category, colour]) => `[data-finding-category="${category}"], .dot.${category} { --colour: ${colour}; }`)
  .join("\n");

export const OVERLAY_CSS = `
:host { all: initial; }
.layer {
  position: fixed; left: 0; top: 0; width: 0; height: 0; overflow: visible;
  pointer-events: none; z-index: 2147483000;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f;
}
.mirror {
  position: absolute; visibility: hidden; overflow: hidden; border-style: solid;
  border-color: transparent; margin: 0; pointer-events: none;
}
${colourRules}
.underline {
  position: absolute; box-sizing: border-box; pointer-events: none; outline: none;
  border-bottom: 2px solid var(--colour);
  background: color-mix(in srgb, var(--colour) 10%, transparent);
}
.underline[data-severity="serious"] { border-bottom-width: 3px; }
.underline[data-severity="info"] { border-bottom-style: dotted; }
.underline:focus-visible { box-shadow: 0 0 0 2px var(--colour); }
.badge {
  position: absolute; display: flex; gap: 6px; align-items: center; padding: 1px 6px;
  border-radius: 9px; background: #fff; border: 1px solid #c4c7c5; cursor: pointer;
  pointer-events: auto; font-size: 11px; line-height: 16px; opacity: 0.85; color: #1f1f1f;
}
.badge:hover, .badge:focus-visible { opacity: 1; }
.dot { display: inline-flex; align-items: center; gap: 3px; }
.dot::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--colour); }
.badge .note { color: #444746; }
.card {
  position: absolute; box-sizing: border-box; width: 340px; max-width: calc(100vw - 16px);
  max-height: calc(100vh - 12px); overflow-y: auto;
  padding: 12px 14px; background: #fff; color: #1f1f1f; border: 1px solid #c4c7c5;
  border-top: 4px solid var(--colour); border-radius: 8px; pointer-events: auto;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.18);
}
.card .kind { font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--colour); }
.card .title { font-size: 15px; font-weight: 600; margin: 2px 0 6px; }
.card p { margin: 0 0 6px; }
.card .found { color: #444746; }
.card .judgement { color: #444746; font-style: italic; }
.card .section { font-size: 12px; color: #444746; }
.card .label { font-weight: 600; }
.card .actions { display: flex; gap: 8px; margin-top: 10px; }
.card button {
  font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #747775;
  background: #fff; color: #1f1f1f; cursor: pointer;
}
.card button:hover { background: #f1f3f4; }
.card button:focus-visible, .badge:focus-visible { outline: 2px solid #0b57d0; outline-offset: 1px; }
`;
