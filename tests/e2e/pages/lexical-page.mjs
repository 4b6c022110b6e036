// A plain-text Lexical editor (the framework Facebook's composer uses), bundled by the test.
import { $getRoot, createEditor } from "lexical";
import { registerPlainText } from "@lexical/plain-text";

const editor = createEditor({
  namespace: "second-opinion-e2e",
  onError: (error) => {
    throw error;
  },
});
editor.setRootElement(document.getElementById("editor"));
registerPlainText(editor);

/** The text in Lexical's own model, to prove the extension never changed it. */
window.lexicalText = () => editor.getEditorState().read(() => $getRoot().getTextContent());
