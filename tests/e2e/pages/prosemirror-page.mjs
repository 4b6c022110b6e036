// A ProseMirror editor (the toolkit behind Bluesky's TipTap composer), bundled by the test.
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { schema } from "prosemirror-schema-basic";
import "prosemirror-view/style/prosemirror.css";

const view = new EditorView(document.getElementById("editor"), {
  state: EditorState.create({ schema }),
  attributes: { "aria-label": "Post text" },
});

/** The text in ProseMirror's own document, to prove the extension never changed it. */
window.editorText = () => view.state.doc.textBetween(0, view.state.doc.content.size, "\n");
