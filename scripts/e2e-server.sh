#!/usr/bin/env bash
# Starts the built server for the end-to-end tests, on a fresh SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
db_dir="$(mktemp -d)"
export DATABASE_URL="sqlite://${db_dir}/e2e.db?mode=rwc"
export LEPTOS_OUTPUT_NAME=espace-entreprise
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
# The names of the wasm, JS and CSS carry their hash (hash.txt next to the binary).
export LEPTOS_HASH_FILES=true
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3100}"
# Every browser of the suite comes from 127.0.0.1: the per-address limits (tested by
# server/tests/hardening.rs) would otherwise refuse the suite's own log-ins.
export RATE_LIMIT_LOGIN="${RATE_LIMIT_LOGIN:-1000/60}"
export RATE_LIMIT_ACCOUNT="${RATE_LIMIT_ACCOUNT:-1000/60}"
export RATE_LIMIT_MAIL="${RATE_LIMIT_MAIL:-1000/60}"
exec "${target}/debug/server"
