#!/usr/bin/env bash
# Command 1: installs what is missing, then builds and serves the portal with the demo
# catalogue on SQLite (http://127.0.0.1:3000). RELEASE=1 serves an optimised build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
bash scripts/setup.sh
export DATABASE_URL="${DATABASE_URL:-sqlite://espace-entreprise.db?mode=rwc}"
if [ "${RELEASE:-0}" = "1" ]; then
  exec cargo leptos serve --release
else
  exec cargo leptos serve
fi
