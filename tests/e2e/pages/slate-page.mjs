// A Slate editor with React and its undo history, bundled by the test.
import { createElement, useState } from "react";
import { createRoot } from "react-dom/client";
import { createEditor, Node } from "slate";
import { withHistory } from "slate-history";
import { Editable, Slate, withReact } from "slate-react";

const editor = withHistory(withReact(createEditor()));
const initialValue = [{ type: "paragraph", children: [{ text: "" }] }];

function Compose() {
  const [value] = useState(initialValue);
  return createElement(
    Slate,
    { editor, initialValue: value },
    createElement(Editable, { id: "editor", placeholder: "Write a post", "aria-label": "Post text" }),
  );
}

createRoot(document.getElementById("root")).render(createElement(Compose));

/** The text in Slate's own model, to prove the extension never changed it. */
window.editorText = () => editor.children.map((node) => Node.string(node)).join("\n");

/** The selection in Slate's model (offsets in its one text), or null. */
window.editorSelection = () => editor.selection && [editor.selection.anchor.offset, editor.selection.focus.offset];
