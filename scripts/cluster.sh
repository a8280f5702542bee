#!/usr/bin/env bash
# Several instances of the release server behind nginx, all on loopback, as an operator
# runs them: a fresh PostgreSQL database (the machine's, 127.0.0.1:5432, user postgres)
# that they share, a real SMTP server that keeps every mail (scripts/lib/smtp-sink.mjs),
# CLUSTER_INSTANCES instances (2 by default) started at the same moment on the empty
# database, and nginx in front of them (upstream with every instance; a dead one is
# skipped). The demo catalogue and the demo firm are loaded (password of the demo
# accounts: demo-espace-2026).
#
#   bash scripts/cluster.sh        builds the release, starts everything, prints the URL;
#                                  Ctrl-C stops everything and drops the database.
#   source scripts/cluster.sh      (scripts/cluster-test.sh) defines cluster_start and
#                                  cluster_stop, and the CLUSTER_* variables below.
#
# Environment: CLUSTER_INSTANCES; CLUSTER_PG (postgres://postgres@127.0.0.1:5432);
# CLUSTER_MAIL_LEASE_SECS (the instances' MAIL_LEASE_SECS; unset: the server's default);
# CLUSTER_NO_BUILD=1 to use the release binary as it is; CLUSTER_KEEP=1 to keep the
# temporary directory (logs, mailbox, nginx configuration) after the stop;
# CARGO (e.g. /work/bin/cargo-serial) for the build.

[ -f scripts/lib/release-server.sh ] || cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/release-server.sh
source scripts/lib/release-server.sh

CLUSTER_INSTANCES="${CLUSTER_INSTANCES:-2}"
CLUSTER_PG="${CLUSTER_PG:-postgres://postgres@127.0.0.1:5432}"
NGINX="${NGINX:-/usr/sbin/nginx}"
# Set by cluster_start.
CLUSTER_TMP=""          # logs, mailbox, nginx files, cluster.json
CLUSTER_DB=""           # the database's name
CLUSTER_DB_URL=""
CLUSTER_URL=""          # nginx: the portal's public URL
CLUSTER_NGINX_PID=""
CLUSTER_SINK_PID=""
CLUSTER_MAILBOX=""
declare -a CLUSTER_SINK_PORTS=()

cluster_fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

cluster_start() {
  command -v psql >/dev/null || cluster_fail "psql is missing (PostgreSQL client)"
  command -v node >/dev/null && [ -d node_modules/smtp-server ] && [ -d node_modules/mailparser ] ||
    cluster_fail "node with node_modules/smtp-server and mailparser is needed (bash scripts/setup.sh)"
  [ -x "$NGINX" ] || cluster_fail "$NGINX is missing (bash scripts/setup.sh installs Debian's nginx)"
  [ -x "$CARGO_TARGET_DIR/release/server" ] || cluster_fail "no release server in $CARGO_TARGET_DIR/release (release_build)"
  pg_isready -q -d "${CLUSTER_PG}/postgres" || cluster_fail "PostgreSQL does not answer at ${CLUSTER_PG}"
  CLUSTER_TMP="$(mktemp -d "${TMPDIR:-/tmp}/ee-cluster.XXXXXX")"

  CLUSTER_DB="ee_cluster_$$"
  CLUSTER_DB_URL="${CLUSTER_PG}/${CLUSTER_DB}"
  PGOPTIONS='-c client_min_messages=warning' psql "${CLUSTER_PG}/postgres" -qX -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS ${CLUSTER_DB} WITH (FORCE)" -c "CREATE DATABASE ${CLUSTER_DB}" >/dev/null ||
    cluster_fail "cannot create the database ${CLUSTER_DB}"

  # The SMTP server: one port per instance (the mailbox then tells who sent what).
  CLUSTER_MAILBOX="${CLUSTER_TMP}/mailbox.jsonl"
  node scripts/lib/smtp-sink.mjs --ports "$CLUSTER_INSTANCES" --mailbox "$CLUSTER_MAILBOX" \
    --ready "${CLUSTER_TMP}/sink.json" --hold "${CLUSTER_TMP}/sink-hold" >"${CLUSTER_TMP}/sink.log" 2>&1 &
  CLUSTER_SINK_PID=$!
  local n
  for n in $(seq 1 100); do
    [ -s "${CLUSTER_TMP}/sink.json" ] && break
    kill -0 "$CLUSTER_SINK_PID" 2>/dev/null || { cat "${CLUSTER_TMP}/sink.log" >&2; cluster_fail "the SMTP server stopped at start"; }
    sleep 0.1
  done
  read -r -a CLUSTER_SINK_PORTS < <(python3 -c 'import json, sys; print(*json.load(open(sys.argv[1]))["ports"])' "${CLUSTER_TMP}/sink.json")
  [ "${#CLUSTER_SINK_PORTS[@]}" = "$CLUSTER_INSTANCES" ] || cluster_fail "the SMTP server did not listen"

  # The public URL is nginx's: the instances check the Origin of posts against it and
  # write it in their mails.
  local nginx_port i
  nginx_port="$(release_free_port)"
  CLUSTER_URL="http://127.0.0.1:${nginx_port}"
  local lease=()
  [ -n "${CLUSTER_MAIL_LEASE_SECS:-}" ] && lease=("MAIL_LEASE_SECS=${CLUSTER_MAIL_LEASE_SECS}")
  for i in $(seq 1 "$CLUSTER_INSTANCES"); do
    release_instance_prepare "$i" "$CLUSTER_TMP" "DATABASE_URL=${CLUSTER_DB_URL}" \
      "SMTP_URL=smtp://127.0.0.1:${CLUSTER_SINK_PORTS[i - 1]}" "PUBLIC_URL=${CLUSTER_URL}" TRUSTED_PROXY=127.0.0.1 \
      MAIL_PER_ACCOUNT_HOUR=100000 "${lease[@]}"
  done
  # All at once on the empty database: migrations and demo data must not race.
  for i in $(seq 1 "$CLUSTER_INSTANCES"); do release_instance_start "$i"; done
  release_instances_ready $(seq 1 "$CLUSTER_INSTANCES")

  cluster_nginx_config "$nginx_port" >"${CLUSTER_TMP}/nginx.conf"
  mkdir -p "${CLUSTER_TMP}/nginx"
  "$NGINX" -t -q -p "${CLUSTER_TMP}/nginx" -e "${CLUSTER_TMP}/nginx/error.log" -c "${CLUSTER_TMP}/nginx.conf" ||
    cluster_fail "nginx refuses ${CLUSTER_TMP}/nginx.conf"
  "$NGINX" -p "${CLUSTER_TMP}/nginx" -e "${CLUSTER_TMP}/nginx/error.log" -c "${CLUSTER_TMP}/nginx.conf" &
  CLUSTER_NGINX_PID=$!
  local status=000
  for n in $(seq 1 100); do
    kill -0 "$CLUSTER_NGINX_PID" 2>/dev/null || { cat "${CLUSTER_TMP}/nginx/error.log" >&2; cluster_fail "nginx stopped at start"; }
    status="$(curl -s -o /dev/null -w '%{http_code}' "${CLUSTER_URL}/healthz" || true)"
    [ "$status" = 200 ] && break
    sleep 0.1
  done
  [ "$status" = 200 ] || cluster_fail "GET ${CLUSTER_URL}/healthz through nginx answered ${status}"

  # What the test driver needs to know.
  python3 - "$CLUSTER_TMP" "$CLUSTER_URL" "$CLUSTER_DB_URL" "$CLUSTER_MAILBOX" "${CLUSTER_SINK_PORTS[*]}" \
    "${RELEASE_INSTANCE_URL[*]:1}" "${CLUSTER_MAIL_LEASE_SECS:-}" <<'EOF'
import json, sys
tmp, url, db, mailbox, sink_ports, urls, lease = sys.argv[1:8]
instances = [
    {"index": i + 1, "url": u, "smtp_port": int(p), "script": f"{tmp}/instance-{i + 1}.sh",
     "pid_file": f"{tmp}/instance-{i + 1}.pid", "log": f"{tmp}/instance-{i + 1}.log"}
    for i, (u, p) in enumerate(zip(urls.split(), sink_ports.split()))
]
json.dump({"url": url, "database_url": db, "mailbox": mailbox, "hold_file": f"{tmp}/sink-hold",
           "nginx_access_log": f"{tmp}/nginx/access.log", "mail_lease_secs": int(lease) if lease else None,
           "instances": instances}, open(f"{tmp}/cluster.json", "w"), indent=2)
EOF
  local ports=()
  for i in $(seq 1 "$CLUSTER_INSTANCES"); do ports+=("${RELEASE_INSTANCE_URL[i]##*:}"); done
  printf '==> cluster: nginx %s -> instances on ports %s; database %s; mailbox %s\n' \
    "$CLUSTER_URL" "${ports[*]}" "$CLUSTER_DB" "$CLUSTER_MAILBOX" >&2
}

# The nginx configuration (stdout); $1: its port. Everything it writes stays in
# CLUSTER_TMP/nginx.
cluster_nginx_config() {
  local dir="${CLUSTER_TMP}/nginx" i servers=""
  for i in $(seq 1 "$CLUSTER_INSTANCES"); do
    servers+="        server ${RELEASE_INSTANCE_URL[i]#http://} max_fails=1 fail_timeout=5s;"$'\n'
  done
  cat <<EOF
# Generated by scripts/cluster.sh.
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    # Which instance answered each request (several, comma-separated, when one was skipped).
    log_format upstream '\$msec \$status "\$request" upstream=\$upstream_addr upstream_status=\$upstream_status time=\$request_time';
    access_log ${dir}/access.log upstream;

    upstream portal {
${servers}        keepalive 16;
    }

    server {
        listen 127.0.0.1:$1;
        client_max_body_size 10m;

        location / {
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            # The instances believe X-Forwarded-For from the addresses in TRUSTED_PROXY
            # only, and take its last address that is not one of them.
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
            # The instances keep this id in their log lines and X-Request-Id.
            proxy_set_header X-Request-Id \$request_id;
            # A dead instance (refused connection, timeout) is skipped. A post already
            # sent to an instance is never sent again to another (no non_idempotent):
            # the first may have done it.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }
        # For the operator, on each instance directly: never through the proxy.
        location = /metrics { return 404; }
    }
}
EOF
}

# Stops nginx, the instances, the SMTP server (only the processes cluster_start
# started), and drops the database.
cluster_stop() {
  if [ -n "$CLUSTER_NGINX_PID" ]; then
    kill -QUIT "$CLUSTER_NGINX_PID" 2>/dev/null || true
    wait "$CLUSTER_NGINX_PID" 2>/dev/null || true
    CLUSTER_NGINX_PID=""
  fi
  release_instances_stop
  if [ -n "$CLUSTER_SINK_PID" ]; then
    kill "$CLUSTER_SINK_PID" 2>/dev/null || true
    wait "$CLUSTER_SINK_PID" 2>/dev/null || true
    CLUSTER_SINK_PID=""
  fi
  if [ -n "$CLUSTER_DB" ]; then
    psql "${CLUSTER_PG}/postgres" -qX -c "DROP DATABASE IF EXISTS ${CLUSTER_DB} WITH (FORCE)" >/dev/null 2>&1 ||
      printf 'warning: database %s not dropped\n' "$CLUSTER_DB" >&2
    CLUSTER_DB=""
  fi
  if [ -n "$CLUSTER_TMP" ]; then
    if [ "${CLUSTER_KEEP:-0}" = 1 ]; then
      printf '==> kept %s\n' "$CLUSTER_TMP" >&2
    else
      rm -rf "$CLUSTER_TMP"
    fi
    CLUSTER_TMP=""
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  [ "${CLUSTER_NO_BUILD:-0}" = 1 ] || release_build
  trap cluster_stop EXIT
  trap 'exit 130' INT TERM
  cluster_start
  cat <<EOF

Portal: ${CLUSTER_URL}  (${CLUSTER_INSTANCES} instances behind nginx)
Accounts: alice.admin@cabinet-demo.fr, olivier.organisme@crcc-formation.fr (second factor) ...,
          password ${DEMO_PASSWORD:-demo-espace-2026}
Mails received: ${CLUSTER_MAILBOX}
Logs: ${CLUSTER_TMP}/instance-*.log, ${CLUSTER_TMP}/nginx/
Ctrl-C stops everything.
EOF
  declare -A reported=()
  while true; do
    for i in $(seq 1 "$CLUSTER_INSTANCES"); do
      if [ -z "$(release_instance_pid "$i")" ] && [ -z "${reported[$i]:-}" ]; then
        printf 'instance %s stopped (nginx sends everything to the others); its log: %s\n' "$i" "${CLUSTER_TMP}/instance-${i}.log" >&2
        reported[$i]=1
      fi
    done
    sleep 1
  done
fi
