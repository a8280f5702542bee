#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, default mobile mode: simulated slow 4G and a 4x slower
# CPU) on four pages of the release build, served on a fresh SQLite database with the
# demo catalogue and the demo firm: the catalogue, a training page, the registration
# wizard's first step, and Mes espaces logged in. Prints the four category scores and
# LCP, TBT, CLS per page; no pass or fail. The JSON reports stay in a temporary
# directory, named at the end.
#
#   CARGO=/work/bin/cargo-serial bash scripts/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/release-server.sh

cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
printf 'Machine: %s CPU(s), %s; Chromium: %s\n' "$(nproc)" "${cpu_model:-unknown CPU}" "$(/usr/bin/chromium --version 2>/dev/null || echo missing)"
dirty=""
git diff --quiet HEAD 2>/dev/null || dirty=" with uncommitted changes"
printf 'Code: %s%s; %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$dirty" "$(date -u '+%Y-%m-%d %H:%M UTC')"

release_build
[ -x node_modules/.bin/lighthouse ] || release_fail "node_modules/.bin/lighthouse missing: npm ci"
reports="$(mktemp -d)"
trap release_server_stop EXIT
release_server_start

# A training that has a session open to registration (its INSCRIPTION form).
training=""
session=""
for id in $(curl -s "${RELEASE_URL}/catalogue" | grep -o -E 'href="/formations/[0-9]+"' | grep -o -E '[0-9]+' | awk '!seen[$0]++'); do
  session="$(release_first_id "/formations/${id}" 'name="session_id" value="[0-9]+"')"
  if [ -n "$session" ]; then
    training="$id"
    break
  fi
done
[ -n "$session" ] || release_fail "no training of /catalogue has a session open to registration"

# The wizard's first step as a visitor reaches it: INSCRIPTION posts the session to the
# server function wizard/start, which keeps the draft in a new visitor session (cookie)
# and sends the browser to the step (/inscription/connexion for a visitor).
headers="$(release_call wizard/start "" "session_id=${session}")"
visitor="$(printf '%s\n' "$headers" | release_cookie_of)"
wizard="$(printf '%s\n' "$headers" | sed -n 's/^[Ll]ocation: *//p' | head -n 1)"
if [ -z "$visitor" ] || [ "${wizard#/inscription}" = "$wizard" ]; then
  printf '%s\n' "$headers" >&2
  release_fail "INSCRIPTION (wizard/start, session ${session}) did not lead to the wizard"
fi
alice="$(release_login alice.admin@cabinet-demo.fr demo-espace-2026)"

# name|path|cookie
pages=(
  "catalogue|/catalogue|"
  "formation|/formations/${training}|"
  "inscription|${wizard}|${visitor}"
  "espaces|/espaces|${alice}"
)

# Each page answers 200 to a browser (Accept: text/html; a page that needs a log-in
# answers 302 without it), and alice's shows her name.
page="$(mktemp)"
for entry in "${pages[@]}"; do
  IFS='|' read -r name path cookie <<<"$entry"
  args=(-s --compressed -o "$page" -w '%{http_code}' -H 'Accept: text/html,application/xhtml+xml')
  [ -n "$cookie" ] && args+=(-H "Cookie: ${cookie}")
  status="$(curl "${args[@]}" "${RELEASE_URL}${path}")"
  [ "$status" = 200 ] || release_fail "GET ${path} answered ${status}, not 200"
  if [ "$name" = espaces ] && ! grep -F "Alice Martin" "$page" >/dev/null; then
    release_fail "GET ${path} does not show Alice Martin: not logged in"
  fi
done
rm -f "$page"

for entry in "${pages[@]}"; do
  IFS='|' read -r name path cookie <<<"$entry"
  printf '==> lighthouse %s\n' "$path" >&2
  extra=()
  [ -n "$cookie" ] && extra=(--extra-headers "$(jq -cn --arg c "$cookie" '{Cookie: $c}')")
  CHROME_PATH=/usr/bin/chromium node_modules/.bin/lighthouse "${RELEASE_URL}${path}" \
    --quiet --output=json --output-path="${reports}/${name}.json" \
    --chrome-flags="--headless --no-sandbox" "${extra[@]}"
done

printf '\n| page | performance | accessibility | best-practices | seo | LCP (s) | TBT (ms) | CLS |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for entry in "${pages[@]}"; do
  IFS='|' read -r name path cookie <<<"$entry"
  label="$path"
  [ "$name" = espaces ] && label="${path} (alice)"
  [ "$name" = inscription ] && label="${path} (visitor after INSCRIPTION)"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const score = (c) => (r.categories[c] && r.categories[c].score !== null ? Math.round(r.categories[c].score * 100) : "n/a");
    const value = (a) => (r.audits[a] && typeof r.audits[a].numericValue === "number" ? r.audits[a].numericValue : NaN);
    const row = [process.argv[2], score("performance"), score("accessibility"), score("best-practices"), score("seo"),
      (value("largest-contentful-paint") / 1000).toFixed(2), Math.round(value("total-blocking-time")),
      value("cumulative-layout-shift").toFixed(3)];
    console.log("| " + row.join(" | ") + " |");
    if (r.runtimeError) console.error(`${process.argv[2]}: ${r.runtimeError.code} ${r.runtimeError.message}`);
    for (const w of r.runWarnings || []) console.error(`${process.argv[2]}: ${w}`);
  ' "${reports}/${name}.json" "$label"
done
printf '\nReports (JSON): %s\n' "$reports"
