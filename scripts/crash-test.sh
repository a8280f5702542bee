#!/usr/bin/env bash
# Crash test: the release server on one SQLite file is killed (SIGKILL) 20 times at
# random moments while clients validate orders and the provider's staff issue invoices
# and record payments; it is restarted on the same file each time. After each restart:
# integrity_check ok, every acknowledged order, invoice and payment is there, order and
# invoice numbers gapless. Then `server backup` under load, and a self-test showing that
# the checks catch a damaged database. Prints the figures; exits non-zero on a violation.
#
#   scripts/crash-test.sh [seed]        (default: a new seed, printed; CRASH_KILLS=20)
#   CARGO=/work/bin/cargo-serial scripts/crash-test.sh   (the release build through it)
#   CRASH_SKIP_BUILD=1 scripts/crash-test.sh            (the release already built)
#
# The same seed gives the same schedule of kills (the moments, not what the requests in
# flight were at each). Takes about a minute and a half once the release is built.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/release-server.sh
. scripts/lib/release-server.sh

seed="${1:-${CRASH_SEED:-$(python3 -c 'import random; print(random.SystemRandom().randrange(1, 1 << 31))')}}"
kills="${CRASH_KILLS:-20}"
printf '==> crash test, seed %s (again: scripts/crash-test.sh %s)\n' "$seed" "$seed"

if [ "${CRASH_SKIP_BUILD:-0}" != 1 ]; then
  release_build
fi
[ -x "$CARGO_TARGET_DIR/release/server" ] || release_fail "no release server at $CARGO_TARGET_DIR/release/server"

work="$(mktemp -d)"
keep=0
cleanup() {
  if [ "$keep" = 1 ]; then
    printf 'database, backup and server log kept in %s\n' "$work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

if ! python3 scripts/crash/drive.py --root "$PWD" --work "$work" --binary "$CARGO_TARGET_DIR/release/server" \
  --seed "$seed" --kills "$kills" --self-test; then
  keep=1
  printf 'crash test FAILED (seed %s); last lines of the server log:\n' "$seed" >&2
  tail -n 20 "$work/server.log" >&2 || true
  exit 1
fi
