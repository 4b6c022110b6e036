// Startup and check times of the shipped WebAssembly engine under Node (a quick check; the
// in-browser figures are what the extension's users see). Run after `cargo xtask dist`:
//   node tests/bench/wasm-startup.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../dist/chrome/pkg/', import.meta.url));
const engine = await import(pkg + 'second_opinion.js');
const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };

const [init] = time(() => engine.initSync({ module: readFileSync(pkg + 'second_opinion_bg.wasm') }));
const [create, checker] = time(() => new engine.Engine(undefined));
const post = 'Saw Mr Robert Haines, MRN 4829137, in ED. Honestly @bob you are an idiot. Use code GLOW20 for 20% off!';
const [first] = time(() => checker.check(post));
const runs = 200;
const [warm] = time(() => { for (let i = 0; i < runs; i++) checker.check(post); });
console.log(`load ${init.toFixed(1)} ms, new Engine ${create.toFixed(1)} ms, first check ${first.toFixed(1)} ms, ` +
  `warm check ${(warm / runs).toFixed(3)} ms (${post.length} characters)`);
