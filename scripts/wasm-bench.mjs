// Times the wasm build of the engine's benchmark workloads in node (V8, as in
// Chromium): ops/s for SET, GET, INCR over 1M keys.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const path = process.argv[2];
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const { run, keys } = instance.exports;
const n = keys();
for (const [op, name] of ['SET', 'GET', 'INCR'].entries()) {
  const start = performance.now();
  run(op, n);
  const ms = performance.now() - start;
  console.log(`report: wasm   ${name.padEnd(4)} ${Math.round(n / (ms / 1000)).toString().padStart(10)} ops/s  (${n} ops over ${n} keys, ${Math.round(ms)} ms)`);
}
