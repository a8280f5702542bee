# Sourced by scripts/bench-pages.sh and scripts/lighthouse.sh (from the repository's
# root): builds the release and serves it on a fresh SQLite database with the demo
# catalogue and the demo firm, on a free port of 127.0.0.1.
#
# The release site goes to its own directory, target/site-release: cargo-leptos takes
# LEPTOS_SITE_ROOT from the environment over Cargo.toml's site-root (config/dotenvs.rs,
# `overlay`), and so does the server. A debug server serving target/site may keep
# running meanwhile (the release wasm in the debug site would break its hydration).
# The release binary and its hash.txt are $CARGO_TARGET_DIR/release/{server,hash.txt}.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/espace-entreprise-target}"
RELEASE_SITE_ROOT=target/site-release
RELEASE_URL=""
RELEASE_PID=""
RELEASE_TMP=""

release_fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# What scripts/setup.sh installs, run only when something is missing: setup.sh also
# deletes the debug server binary, which someone else may be about to start.
release_tools() {
  if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.10" ] ||
    ! command -v wasm-bindgen >/dev/null ||
    [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
    [ ! -x /usr/bin/chromium ]; then
    bash scripts/setup.sh
  fi
}

# `cargo leptos build --release --precompress` through ${CARGO:-cargo} (for instance
# CARGO=/work/bin/cargo-serial); its output goes to a log shown only on failure.
release_build() {
  release_tools
  # Single files that another checkout sharing the target directory may have left
  # while cargo deems ours fresh (as scripts/setup.sh does for every profile).
  rm -f "$CARGO_TARGET_DIR/release/server" "$CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  local log
  log="$(mktemp)"
  printf '==> release build into %s (log: %s)\n' "$RELEASE_SITE_ROOT" "$log" >&2
  # shellcheck disable=SC2086 # CARGO may be a command with arguments
  if ! LEPTOS_SITE_ROOT="$RELEASE_SITE_ROOT" ${CARGO:-cargo} leptos build --release --precompress >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    release_fail "release build failed (full log: $log)"
  fi
  rm -f "$log"
  [ -f "$CARGO_TARGET_DIR/release/hash.txt" ] || release_fail "no $CARGO_TARGET_DIR/release/hash.txt after the build (hash-files in Cargo.toml?)"
}

# Starts the release server; $1, optional: the CPU list it is pinned to (taskset -c).
# Sets RELEASE_URL and RELEASE_PID; the caller traps release_server_stop.
release_server_start() {
  local cpus="${1:-}" port status i
  RELEASE_TMP="$(mktemp -d)"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  RELEASE_URL="http://127.0.0.1:${port}"
  local pin=()
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  # Demo firm on (it loads on a loopback address only; DEMO_ACCOUNTS=1 stops the server
  # with the reason otherwise). Every request comes from 127.0.0.1: per-address limits
  # as high as scripts/e2e-server.sh's, or the log-ins would be refused.
  env DATABASE_URL="sqlite://${RELEASE_TMP}/bench.db?mode=rwc" \
    LEPTOS_OUTPUT_NAME=espace-entreprise LEPTOS_SITE_ROOT="$RELEASE_SITE_ROOT" LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR="127.0.0.1:${port}" \
    DEMO_CATALOGUE=1 DEMO_ACCOUNTS=1 \
    RATE_LIMIT_LOGIN=100000/60 RATE_LIMIT_ACCOUNT=100000/60 RATE_LIMIT_MAIL=100000/60 \
    RUST_LOG=warn \
    "${pin[@]}" "$CARGO_TARGET_DIR/release/server" >"${RELEASE_TMP}/server.log" 2>&1 &
  RELEASE_PID=$!
  status=000
  for i in $(seq 1 120); do
    if ! kill -0 "$RELEASE_PID" 2>/dev/null; then
      cat "${RELEASE_TMP}/server.log" >&2
      release_fail "the release server stopped at start"
    fi
    status="$(curl -s -o /dev/null -w '%{http_code}' "${RELEASE_URL}/healthz" || true)"
    [ "$status" = 200 ] && break
    # Answering, but not 200: no point in waiting.
    [ "$status" != 000 ] && break
    sleep 0.5
  done
  if [ "$status" != 200 ]; then
    tail -n 20 "${RELEASE_TMP}/server.log" >&2
    release_fail "GET ${RELEASE_URL}/healthz answered ${status}, not 200 (after ${i} tries)"
  fi
  printf '==> release server %s (pid %s%s)\n' "$RELEASE_URL" "$RELEASE_PID" "${cpus:+, CPU $cpus}" >&2
}

release_server_stop() {
  if [ -n "$RELEASE_PID" ]; then
    kill "$RELEASE_PID" 2>/dev/null || true
    wait "$RELEASE_PID" 2>/dev/null || true
    RELEASE_PID=""
  fi
  [ -n "$RELEASE_TMP" ] && rm -rf "$RELEASE_TMP"
  RELEASE_TMP=""
}

# Posts to a server function the way the page's JavaScript does; prints the response's
# headers (CR removed). $1: endpoint under /api/; $2: cookie ("" for none); then
# name=value pairs.
release_call() {
  local endpoint="$1" cookie="$2"
  shift 2
  local args=(-s -o /dev/null -D - -X POST "${RELEASE_URL}/api/${endpoint}"
    -H "Origin: ${RELEASE_URL}" -H 'Accept: application/json')
  [ -n "$cookie" ] && args+=(-H "Cookie: ${cookie}")
  local pair
  for pair in "$@"; do args+=(--data-urlencode "$pair"); done
  curl "${args[@]}" | tr -d '\r'
}

# The last session cookie set in headers read on stdin: "ee_session=<token>".
release_cookie_of() {
  sed -n 's/^[Ss]et-[Cc]ookie: *\(ee_session=[^;]*\).*/\1/p' | tail -n 1
}

# Logs in through the log-in form's server function (account/login); prints the session
# cookie, and fails unless the answer sends the browser to /espaces with a cookie.
release_login() {
  local headers cookie
  headers="$(release_call account/login "" "email=$1" "password=$2" "next=/espaces")"
  cookie="$(printf '%s\n' "$headers" | release_cookie_of)"
  if [ -z "$cookie" ] || ! printf '%s\n' "$headers" | grep -i '^location: */espaces' >/dev/null; then
    printf '%s\n' "$headers" >&2
    release_fail "log-in of $1 failed"
  fi
  printf '%s\n' "$cookie"
}

# The first number captured by the regular expression $2 (with one group) in the page
# $1 (a path; $3: optional cookie).
# Prints nothing when there is none. (The whole page is read first: a pipe cut short by
# `head` would fail under pipefail.)
release_first_id() {
  local args=(-s --compressed "${RELEASE_URL}$1") page
  [ -n "${3:-}" ] && args+=(-H "Cookie: $3")
  page="$(curl "${args[@]}")" || release_fail "GET $1 failed"
  printf '%s' "$page" | grep -o -E "$2" | sed -n '1s/[^0-9]*\([0-9][0-9]*\).*/\1/p' || true
}

# Runs the release server in the foreground, in place of the calling shell (exec: the
# caller's process id is the server's, so that a signal reaches the server itself), on
# the SQLite file $1 at 127.0.0.1:$2, with release_server_start's settings, the demo
# firm, mail kept in the outbox without limit (MAIL_PER_ACCOUNT_HOUR, READY_MAX_BACKLOG)
# and the server's output appended to $3 (default: stderr). For scripts that kill and
# restart the server themselves (scripts/crash-test.sh).
release_server_exec() {
  local file="$1" port="$2" log="${3:-/dev/stderr}"
  exec env DATABASE_URL="sqlite://${file}?mode=rwc" \
    LEPTOS_OUTPUT_NAME=espace-entreprise LEPTOS_SITE_ROOT="$RELEASE_SITE_ROOT" LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR="127.0.0.1:${port}" \
    DEMO_CATALOGUE=1 DEMO_ACCOUNTS=1 \
    RATE_LIMIT_LOGIN=100000/60 RATE_LIMIT_ACCOUNT=100000/60 RATE_LIMIT_MAIL=100000/60 \
    MAIL_PER_ACCOUNT_HOUR=1000000 READY_MAX_BACKLOG=1000000 \
    RUST_LOG=warn \
    "$CARGO_TARGET_DIR/release/server" >>"$log" 2>&1
}

# ---------------------------------------------------------------------------------------
# Several instances (scripts/cluster.sh): the same release server started N times on one
# shared database, each on its own free port of 127.0.0.1. Instance i (from 1) is run by
# the script RELEASE_INSTANCE_DIR/instance-i.sh, which `exec`s the server (its pid is the
# server's), writes its log to instance-i.log and its pid to instance-i.pid: a test can
# kill it and start it again with the same port and environment.

RELEASE_INSTANCE_DIR=""
RELEASE_INSTANCE_COUNT=0
declare -a RELEASE_INSTANCE_URL=()

# A free TCP port of 127.0.0.1.
release_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Writes the start script of instance $1 in directory $2; then NAME=value pairs for its
# environment (DATABASE_URL, SMTP_URL, PUBLIC_URL...), added to the release defaults:
# the demo catalogue and firm (loopback only, see release_server_start), per-address
# limits as high as scripts/e2e-server.sh's (every request comes from 127.0.0.1), the
# release site. Sets RELEASE_INSTANCE_URL[$1].
release_instance_prepare() {
  local i="$1" dir="$2" port
  shift 2
  port="$(release_free_port)"
  RELEASE_INSTANCE_DIR="$dir"
  RELEASE_INSTANCE_URL[i]="http://127.0.0.1:${port}"
  [ "$i" -gt "$RELEASE_INSTANCE_COUNT" ] && RELEASE_INSTANCE_COUNT="$i"
  {
    printf '#!/usr/bin/env bash\n# Instance %s of the release server (written by release_instance_prepare).\n' "$i"
    printf 'cd %q\n' "$PWD"
    printf 'echo $$ > %q\n' "${dir}/instance-${i}.pid"
    printf 'exec env'
    local pair
    for pair in LEPTOS_OUTPUT_NAME=espace-entreprise "LEPTOS_SITE_ROOT=${RELEASE_SITE_ROOT}" LEPTOS_SITE_PKG_DIR=pkg \
      LEPTOS_HASH_FILES=true "LEPTOS_SITE_ADDR=127.0.0.1:${port}" DEMO_CATALOGUE=1 DEMO_ACCOUNTS=1 \
      RATE_LIMIT_LOGIN=100000/60 RATE_LIMIT_ACCOUNT=100000/60 RATE_LIMIT_MAIL=100000/60 RUST_LOG=info,sqlx=warn "$@"; do
      printf ' %q' "$pair"
    done
    printf ' %q >>%q 2>&1\n' "$CARGO_TARGET_DIR/release/server" "${dir}/instance-${i}.log"
  } >"${dir}/instance-${i}.sh"
}

# Starts instance $1 (prepared) in the background; its pid is in instance-$1.pid.
release_instance_start() {
  local i="$1"
  rm -f "${RELEASE_INSTANCE_DIR}/instance-${i}.pid"
  bash "${RELEASE_INSTANCE_DIR}/instance-${i}.sh" &
  local pid=$! n
  # Watched through its pid file, not as a job (a test kills it on purpose).
  disown "$pid"
  for n in $(seq 1 50); do
    [ -s "${RELEASE_INSTANCE_DIR}/instance-${i}.pid" ] && break
    sleep 0.1
  done
  [ "$(cat "${RELEASE_INSTANCE_DIR}/instance-${i}.pid" 2>/dev/null)" = "$pid" ] || release_fail "instance $i did not start"
}

# The pid of instance $1 while it runs (the process named in its pid file is still our
# server), else nothing.
release_instance_pid() {
  local pid cmd
  pid="$(cat "${RELEASE_INSTANCE_DIR}/instance-$1.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  cmd="$({ tr '\0' ' ' <"/proc/${pid}/cmdline"; } 2>/dev/null || true)"
  [[ "$cmd" == *release/server* ]] && printf '%s\n' "$pid"
  return 0
}

# Waits until each instance given answers GET /readyz with 200 (database reachable,
# migrations applied); fails with the end of its log if it stops or takes over 60 s.
release_instances_ready() {
  local i status n
  for i in "$@"; do
    status=000
    for n in $(seq 1 240); do
      if [ -z "$(release_instance_pid "$i")" ]; then
        tail -n 30 "${RELEASE_INSTANCE_DIR}/instance-${i}.log" >&2
        release_fail "instance $i stopped at start"
      fi
      status="$(curl -s -o /dev/null -w '%{http_code}' "${RELEASE_INSTANCE_URL[i]}/readyz" || true)"
      [ "$status" = 200 ] && break
      sleep 0.25
    done
    if [ "$status" != 200 ]; then
      tail -n 30 "${RELEASE_INSTANCE_DIR}/instance-${i}.log" >&2
      release_fail "GET ${RELEASE_INSTANCE_URL[i]}/readyz answered ${status}, not 200"
    fi
  done
}

# Stops every instance still running: SIGTERM (a graceful stop), SIGKILL after 30 s.
release_instances_stop() {
  local i pid pids=() n
  for i in $(seq 1 "$RELEASE_INSTANCE_COUNT"); do
    pid="$(release_instance_pid "$i")"
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  for n in $(seq 1 120); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  RELEASE_INSTANCE_COUNT=0
  return 0
}
