#!/usr/bin/env bash
# Several instances behind nginx, for real (issue 12): scripts/cluster.sh starts two
# release instances at once on one empty PostgreSQL database, a real SMTP server and
# nginx; scripts/cluster/drive.py then orders and invoices through nginx with concurrent
# clients, kills instance 2 with SIGKILL in the middle of the run (while it is sending a
# mail), starts it again, and checks the database, the mails and nginx's log: every
# acknowledged order there once, gapless order and invoice numbers, each mail of the
# outbox received exactly once (those the dead instance had claimed taken over after
# their lease), requests spread over both instances. Prints its figures; exits 1 on any
# violation.
#
# The instances run with MAIL_LEASE_SECS=20 (CLUSTER_MAIL_LEASE_SECS), so that the mails
# the killed instance held are taken over within the test; CLUSTER_ORDERS (12): orders
# per client at least. CLUSTER_NO_BUILD=1 uses the release binary as it is; CLUSTER_KEEP=1
# keeps the logs and the mailbox. Takes about two minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
export CLUSTER_MAIL_LEASE_SECS="${CLUSTER_MAIL_LEASE_SECS:-20}"

[ "${CLUSTER_NO_BUILD:-0}" = 1 ] || release_build
trap cluster_stop EXIT
trap 'exit 130' INT TERM
started=$SECONDS
cluster_start
status=0
python3 scripts/cluster/drive.py "${CLUSTER_TMP}/cluster.json" || status=$?
# The instances' own account of the run: errors they logged.
for log in "${CLUSTER_TMP}"/instance-*.log; do
  errors="$(grep -c -E ' ERROR ' "$log" || true)"
  printf '%s: %s error line(s)\n' "$(basename "$log")" "$errors"
  [ "$errors" = 0 ] || grep -E ' ERROR ' "$log" | tail -n 5
done
printf 'cluster test: %s s (without the build)\n' "$((SECONDS - started))"
if [ "$status" != 0 ]; then
  CLUSTER_KEEP=1
  printf 'cluster test FAILED (logs kept in %s)\n' "$CLUSTER_TMP" >&2
fi
exit "$status"
