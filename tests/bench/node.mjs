// The engine benchmark under Node, a quick check beside the browser figures: loads the
// shipped dist/chrome/pkg and prints the measurements as JSON. `cargo xtask bench` runs it
// with the texts it generated:  node tests/bench/node.mjs TEXTS.json
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { measureEngine } from "./engine.mjs";

const pkg = fileURLToPath(new URL("../../dist/chrome/pkg/", import.meta.url));
const texts = JSON.parse(readFileSync(process.argv[2], "utf8"));
const bindings = await import(pkg + "second_opinion.js");
const result = await measureEngine(bindings, readFileSync(pkg + "second_opinion_bg.wasm"), texts);
console.log(JSON.stringify(result));
