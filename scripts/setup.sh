#!/usr/bin/env bash
# Installs what the project needs, from the package registries only (crates.io, npm,
# Debian), and skips whatever is already there in the right version.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos never downloads tools itself (no_downloads): it takes wasm-opt and
# tailwindcss from node_modules/.bin and wasm-bindgen from ~/.cargo/bin.
if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.10" ]; then
  step "cargo-leptos 0.3.10 (about 23 minutes on 2 cores)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi

wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen ${wasm_bindgen_version}" ]; then
  step "wasm-bindgen-cli ${wasm_bindgen_version} (the version in Cargo.lock)"
  # Not --locked: its own lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "${wasm_bindgen_version}"
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm packages (tailwindcss, binaryen's wasm-opt, Playwright, smtp-server)"
  npm ci --no-audit --no-fund
fi

if [ ! -x /usr/bin/chromium ]; then
  step "Chromium from Debian (for the end-to-end tests)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

if [ ! -x /usr/sbin/nginx ]; then
  step "nginx from Debian (the reverse proxy of scripts/cluster.sh and its test)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx
fi

if ! command -v pdftotext >/dev/null; then
  step "poppler-utils from Debian (the tests read the PDFs' text with pdftotext)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends poppler-utils
fi

# The target directory is shared by every checkout on this machine (the work tree, CI's
# clones): the final server binary and browser wasm are single files in it, so another
# checkout may have left its own there while cargo still deems ours fresh. Removing
# them makes cargo relink ours (a few seconds).
target="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
rm -f "$target/debug/server" "$target/release/server" \
  "$target/front/wasm32-unknown-unknown/debug/frontend.wasm" \
  "$target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm"
