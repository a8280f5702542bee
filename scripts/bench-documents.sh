#!/usr/bin/env bash
# Benchmark: size and generation time of each PDF document, on a fresh SQLite database
# with the demo firm, served by the release build. Prints a table; no pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
bash scripts/setup.sh >/dev/null
cargo leptos build --release >/dev/null 2>&1
db_dir="$(mktemp -d)"
port="${BENCH_PORT:-3200}"
DATABASE_URL="sqlite://${db_dir}/bench.db?mode=rwc" LEPTOS_OUTPUT_NAME=espace-entreprise LEPTOS_SITE_ROOT=target/site \
  LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:${port}" RUST_LOG=warn "${CARGO_TARGET_DIR}/release/server" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$db_dir"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:${port}/catalogue" >/dev/null && break; sleep 0.5; done
BENCH_URL="http://127.0.0.1:${port}" python3 scripts/bench/documents.py
