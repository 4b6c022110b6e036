// A plain-text Lexical editor (the framework Facebook's composer uses) with its undo history,
// bundled by the test.
import { $getRoot, $getSelection, $isRangeSelection, createEditor } from "lexical";
import { registerPlainText } from "@lexical/plain-text";
import { createEmptyHistoryState, registerHistory } from "@lexical/history";

const editor = createEditor({
  namespace: "second-opinion-e2e",
  onError: (error) => {
    throw error;
  },
});
editor.setRootElement(document.getElementById("editor"));
registerPlainText(editor);
// Edits of one kind merge into one undo step however far apart in time they come, so undo does
// the same in a run with the extension (which waits for warnings) and one without.
registerHistory(editor, createEmptyHistoryState(), Infinity);

/** The text in Lexical's own model, to prove the extension never changed it. */
window.editorText = () => editor.getEditorState().read(() => $getRoot().getTextContent());

/** The selection in Lexical's model (offsets in its one text node), or null. */
window.editorSelection = () =>
  editor.getEditorState().read(() => {
    const selection = $getSelection();
    return $isRangeSelection(selection) ? [selection.anchor.offset, selection.focus.offset] : null;
  });
