#!/usr/bin/env bash
# Runs every test: lints, engine tests, the differential test against a real
# redis-server, the wasm tests in headless Chromium, the end-to-end test of the
# built site, then prints the budget reports (figures, not pass/fail).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -q -- -D warnings
cargo clippy -p web --target wasm32-unknown-unknown --all-targets -q -- -D warnings

step "engine tests, and the web crate's native unit tests"
cargo test -p engine
cargo test -p web --lib

step "differential tests against redis-server $(redis-server --version | awk '{print $3}')"
cargo test -p tests -- --nocapture

step "wasm tests in headless Chromium"
cargo test -p web --target wasm32-unknown-unknown

step "release build of the site"
trunk build --release

step "end-to-end tests of dist/ in Chromium"
node --test tests/e2e/

step "reports"
scripts/report.sh --built
