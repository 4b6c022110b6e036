// The shipped WebAssembly engine under Node: its memory over 2,000 checks of a post being
// typed (a long session), then the time to check a very long paste: the first 50,000
// characters (what the extension sends) and the whole text (1 MB). Run after `cargo xtask dist`:
//   node tests/bench/large-paste.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../dist/chrome/pkg/', import.meta.url));
const engine = await import(pkg + 'second_opinion.js');
const wasm = engine.initSync({ module: readFileSync(pkg + 'second_opinion_bg.wasm') });
const checker = new engine.Engine(undefined);
checker.check('Saw Mr Robert Haines, MRN 4829137, in ED'); // compile what a first check needs

const sentences = [
  'Saw Mr Robert Haines, MRN 4829137, in ED. ',
  'The clinic was busy today and the coffee ran out before noon. ',
  'Honestly @bob you are an idiot. ',
  'Use code GLOW20 for 20% off! ',
  'Medicare 2123 45670 1 was declined. ',
  'Ward 7, bed 12, 84F with a fall. ',
];
let big = '';
for (let i = 0; big.length < 1_000_000; i++) big += sentences[i % sentences.length];
const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };
const mb = (bytes) => (bytes / 1048576).toFixed(1);

const start = wasm.memory.buffer.byteLength;
let post = '';
for (let i = 0; i < 2000; i++) {
  post = i % 300 === 0 ? '' : post + sentences[i % sentences.length][i % 40];
  checker.check(post);
}
console.log(`memory ${mb(start)} MB at start, ${mb(wasm.memory.buffer.byteLength)} MB after 2,000 checks of a post being typed`);

for (const [label, text] of [['first 50,000 characters', big.slice(0, 50_000)], ['1 MB', big]]) {
  const times = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const [ms, r] = time(() => checker.check(text));
    times.push(ms);
    findings = r.length;
  }
  console.log(`${label} (${text.length} characters): best ${Math.min(...times).toFixed(0)} ms of 3, ${findings} findings; memory now ${mb(wasm.memory.buffer.byteLength)} MB`);
}

