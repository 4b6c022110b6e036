// A Draft.js editor (the framework X's composer uses) with React, bundled by the test.
import { createElement, useState } from "react";
import { createRoot } from "react-dom/client";
import { Editor, EditorState } from "draft-js";

let state = EditorState.createEmpty();

function Compose() {
  const [editorState, setEditorState] = useState(state);
  return createElement(Editor, {
    editorState,
    onChange: (next) => {
      state = next;
      setEditorState(next);
    },
    placeholder: "What's happening?",
    ariaLabel: "Post text",
  });
}

createRoot(document.getElementById("root")).render(createElement(Compose));

/** The text in Draft.js's own model, to prove the extension never changed it. */
window.editorText = () => state.getCurrentContent().getPlainText("\n");

/** The selection in Draft.js's model (offsets in its one block). */
window.editorSelection = () => [state.getSelection().getAnchorOffset(), state.getSelection().getFocusOffset()];
