#!/usr/bin/env bash
# Builds the playground and serves it at http://127.0.0.1:8080, rebuilding on change.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
