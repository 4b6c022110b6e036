// A long feed whose reply box (a contenteditable in a fixed-position dialog) exists only after
// the user asks for it, as on X.
const feed = document.getElementById("feed");
for (let i = 1; i <= 60; i += 1) {
  const item = document.createElement("article");
  item.textContent = `Post ${i}: nothing to see here, just a line of feed text.`;
  feed.append(item);
}
document.getElementById("reply").addEventListener("click", () => {
  const dialog = document.createElement("div");
  dialog.className = "dialog";
  dialog.setAttribute("role", "dialog");
  const editor = document.createElement("div");
  editor.id = "editor";
  editor.contentEditable = "true";
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-label", "Post your reply");
  dialog.append(editor);
  document.body.append(dialog);
});
