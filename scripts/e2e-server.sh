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
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3100}"
exec "${target}/debug/server"
