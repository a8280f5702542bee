#!/usr/bin/env bash
# The browser bundle's budget (issue 11): the JavaScript and wasm a first visit downloads
# (islands mode: one module and one wasm for every page) must stay within 150 KB gzipped.
# Builds the release frontend into its own site directory (never the debug server's),
# prints raw / gzip -9 / brotli sizes, and fails above the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
budget="${WASM_BUDGET_BYTES:-150000}"
site=target/site-release

LEPTOS_SITE_ROOT="$site" ${CARGO:-cargo} leptos build --release --frontend-only --precompress

size() { wc -c <"$1" | tr -d ' '; }
total=0
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
for f in "$site"/pkg/espace-entreprise.*.js "$site"/pkg/espace-entreprise.*.wasm; do
  [ -f "$f" ] || { echo "missing: $f (was the release built with hash-files?)" >&2; exit 1; }
  gz=$(gzip -9 -c "$f" | wc -c | tr -d ' ')
  printf '%-48s %10s %10s %10s\n' "$(basename "$f")" "$(size "$f")" "$gz" "$(size "$f.br")"
  total=$((total + gz))
done
printf 'first visit, JavaScript + wasm gzipped: %s bytes (budget %s)\n' "$total" "$budget"
if [ "$total" -gt "$budget" ]; then
  echo "over budget by $((total - budget)) bytes: keep browser-only code in islands" >&2
  exit 1
fi
