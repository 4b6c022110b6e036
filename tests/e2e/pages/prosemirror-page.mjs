// A ProseMirror editor (the toolkit behind Bluesky's TipTap composer) with undo on Ctrl+Z,
// bundled by the test.
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { schema } from "prosemirror-schema-basic";
import { history, redo, undo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import "prosemirror-view/style/prosemirror.css";

// Every transaction is its own undo step (a group delay below zero): grouping by time would
// make undo differ between a run with the extension (which waits for warnings) and one without.
const plugins = [history({ newGroupDelay: -1 }), keymap({ "Mod-z": undo, "Shift-Mod-z": redo, "Mod-y": redo })];
const view = new EditorView(document.getElementById("editor"), {
  state: EditorState.create({ schema, plugins }),
  attributes: { "aria-label": "Post text" },
});

/** The text in ProseMirror's own document, to prove the extension never changed it. */
window.editorText = () => view.state.doc.textBetween(0, view.state.doc.content.size, "\n");

/** The selection in ProseMirror's state, as offsets in its one paragraph (which opens at 1). */
window.editorSelection = () => [view.state.selection.anchor - 1, view.state.selection.head - 1];
