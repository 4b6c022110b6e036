// A Quill editor (the editor LinkedIn's composer uses), bundled by the test with its core CSS.
import Quill from "quill";
import "quill/dist/quill.core.css";

const quill = new Quill("#editor", { placeholder: "What do you want to talk about?" });

/** The text in Quill's own model (without the final newline Quill always keeps). */
window.editorText = () => quill.getText().replace(/\n$/, "");
