#!/usr/bin/env bash
# Budget reports: figures, not pass/fail. Engine ops/s natively and in wasm
# (GET/SET/INCR over 1M keys) and the release site's size, raw and gzipped.
# `--built` skips the release build (test.sh has just made dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

if [ "${1:-}" != "--built" ]; then
  scripts/setup.sh
  trunk build --release
fi

echo "report: site size (dist/, release; budget 300 KB gzipped for the whole app, issue 6)"
total_raw=0
total_gz=0
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf 'report:   %-40s %9d bytes raw %9d bytes gzip -9\n' "$(basename "$f")" "$raw" "$gz"
done
printf 'report:   %-40s %9d bytes raw %9d bytes gzip -9 (%.1f KB)\n' "total" "$total_raw" "$total_gz" "$(awk "BEGIN{print $total_gz/1024}")"

cargo run -q -p engine --profile bench-native --example bench
# The wasm benchmark uses the release profile the site ships with (opt-level z).
cargo build -q -p engine --release --example wasm_bench --target wasm32-unknown-unknown
node scripts/wasm-bench.mjs target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm
