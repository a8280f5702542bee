#!/usr/bin/env bash
# Benchmark: requests per second and latency (50th and 99th percentile) of the main
# pages, served by the release build on one CPU, on a fresh SQLite database with the
# demo catalogue and the demo firm. Prints figures only; no pass or fail.
#
#   CARGO=/work/bin/cargo-serial bash scripts/bench-pages.sh
#
# BENCH_SECONDS (default 10): length of each measurement, after a 3-second warm-up.
# BENCH_ENCODING (default Chromium's "gzip, deflate, br, zstd"): the Accept-Encoding
# sent, so that compression is measured as a browser gets it; "identity" for none.
# The server runs on CPU 0 (taskset), the load generator (wrk, 1 thread, 64
# connections) on CPU 1.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/release-server.sh

seconds="${BENCH_SECONDS:-10}"
encoding="${BENCH_ENCODING:-gzip, deflate, br, zstd}"
# A browser's Accept: the server answers a redirect with 302 only to such a request.
accept='text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
connections=64
warmup=3

cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
printf 'Machine: %s CPU(s), %s; %s\n' "$(nproc)" "${cpu_model:-unknown CPU}" "$(uname -sr)"
dirty=""
git diff --quiet HEAD 2>/dev/null || dirty=" with uncommitted changes"
printf 'Code: %s%s; %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$dirty" "$(date -u '+%Y-%m-%d %H:%M UTC')"
[ "$(nproc)" -ge 2 ] || release_fail "needs 2 CPUs: one for the server, one for the load generator"

if ! command -v wrk >/dev/null; then
  printf '==> wrk from Debian\n' >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null
fi

release_build
work="$(mktemp -d)"
trap 'release_server_stop; rm -rf "$work"' EXIT
release_server_start 0

# The pages. The static reference is /confidentialite: for a visitor without a cookie
# nothing on it reads the database. The page is constants (domain::retention) and the
# query string; the Frame's resources (get_current_user, take_flash, get_support,
# UnconfirmedNotice's get_unconfirmed) all go through `caller()`, which looks a session
# up only when a session cookie is sent, and returns before any draft or user read
# without one. The catalogue (also served at /) and the training pages read the
# catalogue; every logged-in page reads the session and the user at least.
cookie="$(release_login alice.admin@cabinet-demo.fr demo-espace-2026)"
alice_name="Alice Martin"
training="$(release_first_id /catalogue 'href="/formations/[0-9]+"')"
company="$(release_first_id /espaces 'href="/entreprise/[0-9]+"' "$cookie")"
[ -n "$training" ] || release_fail "no training link on /catalogue"
[ -n "$company" ] || release_fail "no company link on /espaces for alice.admin@cabinet-demo.fr"
word=audit
static=/confidentialite
# path|cookie (1: alice's session)
pages=(
  "/healthz|0"
  "${static}|0"
  "/catalogue|0"
  "/catalogue?q=${word}|0"
  "/formations/${training}|0"
  "/espaces|1"
  "/entreprise/${company}|1"
  "/entreprise/${company}/annuaire|1"
)

# Every page must answer 200 as it is (no redirect followed: without a valid session the
# logged-in pages send the browser to /connexion), and the logged-in ones must show
# alice's name in the header. bytes: the body as sent, with the Accept-Encoding above.
declare -A bytes
for entry in "${pages[@]}"; do
  path="${entry%|*}"
  args=(-s --compressed -o "$work/body" -w '%{http_code} %{size_download}\n' -H "Accept: ${accept}" -H "Accept-Encoding: ${encoding}")
  [ "${entry##*|}" = 1 ] && args+=(-H "Cookie: ${cookie}")
  read -r status size < <(curl "${args[@]}" "${RELEASE_URL}${path}")
  [ "$status" = 200 ] || release_fail "GET ${path} answered ${status}, not 200"
  if [ "${entry##*|}" = 1 ] && ! grep -F "$alice_name" "$work/body" >/dev/null; then
    release_fail "GET ${path} does not show ${alice_name}: not logged in"
  fi
  bytes[$path]="$size"
done
# The search must find something, or it measures an empty list.
[ -n "$(release_first_id "/catalogue?q=${word}" 'href="/formations/[0-9]+"')" ] ||
  release_fail "/catalogue?q=${word} lists no training"

# Counts the answers that are not 200 (wrk itself counts only those outside 2xx/3xx)
# and prints one line: requests, microseconds, p50 and p99 in ms, non-200, socket errors.
cat >"$work/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local not_ok = 0
  for _, t in ipairs(threads) do not_ok = not_ok + t:get("not_ok") end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.3f %.3f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, not_ok, e.connect + e.read + e.write + e.timeout))
end
LUA

printf '%s connections, 1 thread, %s s each after %s s of warm-up; Accept-Encoding: %s\n' \
  "$connections" "$seconds" "$warmup" "$encoding"
# Anything else running (a build, a browser) takes CPU from both sides: the figures need
# a quiet machine. Measured around each run, in clock ticks: the machine's user and
# system time (/proc/stat), the server's (/proc/PID/stat) and wrk's (this shell's
# children, `times`); what remains is the CPU other processes took meanwhile.
ticks="$(getconf CLK_TCK)"
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; }
server_ticks() { awk '{ print $14 + $15 }' "/proc/${RELEASE_PID}/stat"; }
# `times` of this very shell (a subshell's would not count wrk), saved to a file.
children_ticks() {
  awk -v hz="$ticks" 'function s(x, a) { split(x, a, "m"); sub("s", "", a[2]); return a[1] * 60 + a[2] }
    NR == 2 { printf "%.0f\n", (s($1) + s($2)) * hz }' "$1"
}
declare -A rps p50 p99 bad others
for entry in "${pages[@]}"; do
  path="${entry%|*}"
  headers=(-H "Accept: ${accept}" -H "Accept-Encoding: ${encoding}")
  [ "${entry##*|}" = 1 ] && headers+=(-H "Cookie: ${cookie}")
  taskset -c 1 wrk -t1 -c"$connections" -d"${warmup}s" "${headers[@]}" "${RELEASE_URL}${path}" >/dev/null
  times >"$work/times0"
  m0="$(machine_ticks)" s0="$(server_ticks)" t0="$(date +%s%N)"
  taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$work/count.lua" "${headers[@]}" \
    "${RELEASE_URL}${path}" >"$work/wrk.out"
  times >"$work/times1"
  m1="$(machine_ticks)" s1="$(server_ticks)" t1="$(date +%s%N)"
  c0="$(children_ticks "$work/times0")" c1="$(children_ticks "$work/times1")"
  others[$path]="$(awk -v m="$((m1 - m0))" -v s="$((s1 - s0))" -v c="$((c1 - c0))" -v ns="$((t1 - t0))" -v hz="$ticks" \
    'BEGIN { o = 100 * (m - s - c) / (ns / 1e9 * hz); printf "%.0f", (o < 0 ? 0 : o) }')"
  line="$(grep '^RESULT ' "$work/wrk.out")"
  read -r _ requests micros q50 q99 not_ok errors <<<"$line"
  rps[$path]="$(awk -v r="$requests" -v us="$micros" 'BEGIN { printf "%.0f", r / (us / 1e6) }')"
  p50[$path]="$q50"
  p99[$path]="$q99"
  bad[$path]="${not_ok}/${errors}"
done

printf '\n| path | req/s | p50 (ms) | p99 (ms) | non-200 / socket errors | bytes | %% of %s | other processes (%% of a CPU) |\n' "$static"
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for entry in "${pages[@]}"; do
  path="${entry%|*}"
  label="$path"
  [ "${entry##*|}" = 1 ] && label="${path} (alice)"
  share="$(awk -v a="${rps[$path]}" -v b="${rps[$static]}" 'BEGIN { printf "%.1f", 100 * a / b }')"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$label" "${rps[$path]}" "${p50[$path]}" "${p99[$path]}" "${bad[$path]}" "${bytes[$path]}" "$share" "${others[$path]}"
done
for entry in "${pages[@]}"; do
  path="${entry%|*}"
  if [ "${others[$path]}" -ge 5 ]; then
    printf '\nOther processes took CPU during some runs (last column): those rows measure the machine, not the portal.\n'
    break
  fi
done
