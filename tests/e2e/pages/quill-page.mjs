// A Quill editor (the editor LinkedIn's composer uses), bundled by the test with its core CSS.
import Quill from "quill";
import "quill/dist/quill.core.css";

// Every change is its own undo step (no delay): grouping by time would make undo differ between
// a run with the extension (which waits for warnings) and one without.
const quill = new Quill("#editor", { placeholder: "What do you want to talk about?", modules: { history: { delay: 0 } } });

/** The text in Quill's own model (without the final newline Quill always keeps). */
window.editorText = () => quill.getText().replace(/\n$/, "");

/** The selection in Quill's model, or null. */
window.editorSelection = () => {
  const range = quill.getSelection();
  return range && [range.index, range.index + range.length];
};
