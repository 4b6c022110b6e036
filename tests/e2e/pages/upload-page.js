// A site's own upload handling, as social sites do it: the drop zone takes the files itself
// (preventDefault), and every file the page receives is recorded, so the tests can prove that
// the extension neither blocks nor replaces what the user attached.
window.received = [];
const record = (source, files) => {
  for (const file of files) window.received.push(`${source}:${file.name}:${file.size}`);
};
const drop = document.getElementById("drop");
drop.addEventListener("dragover", (event) => event.preventDefault());
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  record("drop", event.dataTransfer.files);
});
document.getElementById("photo").addEventListener("change", (event) => record("input", event.target.files));
document.getElementById("post").addEventListener("paste", (event) => record("paste", event.clipboardData.files));
