// Times the wasm build of the engine's benchmark workloads in node (V8, as in
// Chromium): ops/s for each workload in engine/examples/common/workload.rs.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const path = process.argv[2];
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const { count, ops, name_ptr, name_len, prepare, run, memory } = instance.exports;
const n = ops();
for (let i = 0; i < count(); i++) {
  const name = new TextDecoder().decode(new Uint8Array(memory.buffer, name_ptr(i), name_len(i)));
  if (!prepare(i)) {
    console.log(`report: wasm   ${name.padEnd(14)} skipped: not implemented yet`);
    continue;
  }
  const start = performance.now();
  run(i);
  const ms = performance.now() - start;
  console.log(`report: wasm   ${name.padEnd(14)} ${Math.round(n / (ms / 1000)).toString().padStart(10)} ops/s  (${n} ops, ${Math.round(ms)} ms)`);
}
