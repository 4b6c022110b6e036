// Times the shipped WebAssembly engine: load, `new Engine`, the first check after start, and
// the median and 99th percentile of warm checks for each text. The same function runs under
// Node (node.mjs) and inside a Chromium page (browser.mjs), so both report the same figures.

/**
 * `bindings` is the module wasm-bindgen wrote (dist/chrome/pkg/second_opinion.js), `source`
 * what its `init` takes (a URL in the page, the bytes under Node), `texts` a list of
 * {kind, chars, text}. Resolves to {load, create, first, sizes: [{kind, chars, runs, batch, median, p99}]},
 * times in milliseconds.
 */
export async function measureEngine(bindings, source, texts, { budgetMs = 1500, maxRuns = 2000 } = {}) {
  const now = () => performance.now();
  let t = now();
  await bindings.default({ module_or_path: source });
  const load = now() - t;
  t = now();
  const engine = new bindings.Engine(undefined);
  const create = now() - t;
  // The first check after a start: the post that wakes a stopped service worker.
  const first = texts.find((x) => x.kind === "realistic" && x.chars === 280);
  t = now();
  engine.check(first.text);
  const firstCheck = now() - t;

  const sizes = [];
  for (const { kind, chars, text } of texts) {
    // The first run compiles what this text needs (the table reports warm checks); the
    // next ones estimate a check. A page's clock ticks in 0.1 ms steps, so short checks are
    // timed in batches of at least 2 ms and each sample is a batch's time per check.
    engine.check(text);
    let estimate = 0;
    for (let runs = 1; ; runs *= 2) {
      t = now();
      for (let i = 0; i < runs; i++) engine.check(text);
      const took = now() - t;
      if (took >= 1) {
        estimate = took / runs;
        break;
      }
    }
    const batch = Math.max(1, Math.ceil(2 / estimate));
    const times = [];
    const until = now() + budgetMs;
    // At least 5 samples, at most maxRuns checks, within about budgetMs per text.
    while (times.length < 5 || (times.length * batch < maxRuns && now() < until)) {
      t = now();
      for (let i = 0; i < batch; i++) engine.check(text);
      times.push((now() - t) / batch);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    sizes.push({ kind, chars, runs: times.length * batch, batch, median: at(0.5), p99: at(0.99) });
  }
  engine.free();
  return { load, create, first: firstCheck, sizes };
}
