#!/usr/bin/env bash
# Command 2: every test. Unit tests, integration tests on SQLite and on PostgreSQL
# (started here if it is not running), then Playwright with and without JavaScript.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
export CARGO_TERM_COLOR=never
# Line tables only in debug builds: backtraces keep their files and lines, and the
# 35 integration-test binaries weigh a fraction of full debug info (with it, one run
# filled 60 GB of disk on this 2-core machine).
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"
bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }
pg_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

step "PostgreSQL"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
drop_test_databases() {
  psql "$pg_url" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'ee_test_%'" |
    while read -r db; do psql "$pg_url" -qc "DROP DATABASE \"$db\"" >/dev/null; done
}
drop_test_databases
trap drop_test_databases EXIT

step "Lints (clippy, warnings are errors)"
cargo clippy -p app -p server --features app/ssr --tests -- -D warnings

step "Unit tests (domain, services)"
cargo test -p app --features ssr

# One test at a time in each binary: Leptos' server rendering, driven from many
# single-threaded test runtimes in one process at once, can lose a wake-up (seen
# once in 15 parallel runs, never serially); each request also has a 30 s limit.
step "Integration tests on SQLite"
cargo test -p server -- --test-threads 1

step "Integration tests on PostgreSQL"
TEST_DATABASE_URL="$pg_url" cargo test -p server -- --test-threads 1

step "Browser bundle within its budget (release build, 150 KB gzipped)"
bash scripts/wasm-budget.sh

step "Several instances behind nginx, one killed mid-run (PostgreSQL, release build)"
bash scripts/cluster-test.sh

step "Crash test: the release server SIGKILLed 20 times under load on SQLite, then server backup"
# The release the cluster test built; a fixed seed, so that a failure can be replayed.
CRASH_SKIP_BUILD=1 bash scripts/crash-test.sh 20261206

step "Build for the end-to-end tests"
cargo leptos build

step "End-to-end tests (Chromium, with and without JavaScript)"
(cd end2end && npx playwright test)
