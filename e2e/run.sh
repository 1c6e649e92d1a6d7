#!/usr/bin/env bash
# Karuna browser tests: Debian's Chromium driven by playwright-core, with axe-core.
#
#   e2e/run.sh                  # from the repo root (or anywhere)
#   KARUNA_BIN=target/release/karuna e2e/run.sh
#   e2e/run.sh smoke.test.mjs   # only some test files (names relative to e2e/)
#
# 1. installs Debian's chromium if /usr/bin/chromium is missing (needs root);
# 2. `npm ci` in e2e/ (playwright-core, @axe-core/playwright, axe-core; no browser download);
# 3. generates a small synthetic agency (`karuna gen`) into a fresh temp dir, then starts
#    `$KARUNA_BIN serve --demo --addr 127.0.0.1:0 --data-dir <that dir>`
#    and reads its URL from the line "karuna listening on http://127.0.0.1:PORT";
# 4. runs the tests with node's test runner, KARUNA_URL exported;
# 5. always stops the server. Exits with the tests' exit code and ends with a
#    line "N passed, N failed".
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/.." && pwd)"
cd "$REPO_ROOT"   # KARUNA_BIN is relative to the repo root

KARUNA_BIN="${KARUNA_BIN:-target/debug/karuna}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
START_TIMEOUT_S="${E2E_START_TIMEOUT_S:-60}"  # seconds to wait for the "listening" line

log() { printf 'e2e: %s\n' "$*" >&2; }

if [[ ! -x "$KARUNA_BIN" ]]; then
  log "server binary '$KARUNA_BIN' not found (set KARUNA_BIN or run cargo build first)"
  echo "0 passed, 1 failed"
  exit 1
fi

# --- 1. Chromium ----------------------------------------------------------------
if [[ ! -x "$CHROMIUM" ]]; then
  log "$CHROMIUM not found; installing Debian's chromium"
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      SUDO=(sudo -n)
    else
      log "need root to apt-get install chromium; install it or run as root"
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q chromium
fi
"$CHROMIUM" --version >&2 || true

# --- 2. npm packages -------------------------------------------------------------
(cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# --- 3. the server ---------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/karuna-e2e.XXXXXX")"
DATA_DIR="$WORK/data"
SERVER_LOG="$WORK/server.log"
TEST_LOG="$WORK/tests.log"
mkdir -p "$DATA_DIR"
SERVER_PID=""

cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A synthetic agency beside the demo organisation (its own organisation and accounts, the demo
# password): five years of cases for the trends test.
log "generating a synthetic agency (karuna gen) in $DATA_DIR"
if ! printf 'karuna-demo\n' | "$KARUNA_BIN" gen --data-dir "$DATA_DIR" --persons 3000 --cases 3000 \
    --notes-per-case 1 --password-stdin >"$WORK/gen.log" 2>&1; then
  log "karuna gen failed; its output:"
  cat "$WORK/gen.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
log "starting $KARUNA_BIN serve --demo (data dir $DATA_DIR)"
"$KARUNA_BIN" serve --demo --addr 127.0.0.1:0 --data-dir "$DATA_DIR" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

KARUNA_URL=""
deadline=$((SECONDS + START_TIMEOUT_S))
while [[ -z "$KARUNA_URL" ]]; do
  KARUNA_URL="$(grep -m1 -oE 'karuna listening on http://127\.0\.0\.1:[0-9]+' "$SERVER_LOG" 2>/dev/null \
    | sed -e 's/^karuna listening on //' || true)"
  [[ -n "$KARUNA_URL" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server exited before it was ready; its output:"
    cat "$SERVER_LOG" >&2
    SERVER_PID=""
    echo "0 passed, 1 failed"
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    log "no 'karuna listening on http://…' line within ${START_TIMEOUT_S}s; server output:"
    cat "$SERVER_LOG" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  sleep 0.2
done
export KARUNA_URL
log "server ready at $KARUNA_URL"

# --- 4. the tests ----------------------------------------------------------------
if [[ $# -gt 0 ]]; then
  TESTS=("$@")
else
  # Every test file in e2e/, in name order.
  TESTS=()
  for f in "$E2E_DIR"/*.test.mjs; do TESTS+=("$(basename "$f")"); done
fi

set +e
(cd "$E2E_DIR" && node --test --test-reporter=spec --test-concurrency=1 "${TESTS[@]}") 2>&1 | tee "$TEST_LOG"
TEST_RC=${PIPESTATUS[0]}
set -e

# --- 5. summary ------------------------------------------------------------------
# node's spec reporter ends with lines such as "ℹ pass 2" and "ℹ fail 0".
count() { LC_ALL=C grep -aE "^[^[:alnum:]]*$1 [0-9]+\$" "$TEST_LOG" | tail -n 1 | LC_ALL=C grep -oE '[0-9]+$' || true; }
PASSED="$(count pass)"; FAILED="$(count fail)"; CANCELLED="$(count cancelled)"
PASSED="${PASSED:-0}"; FAILED=$(( ${FAILED:-0} + ${CANCELLED:-0} ))
if [[ "$TEST_RC" -ne 0 && "$FAILED" -eq 0 ]]; then
  FAILED=1   # the runner failed without counting a test (e.g. a crash)
fi
if [[ "$TEST_RC" -ne 0 ]]; then
  log "tests failed; last lines of the server's output:"
  tail -n 40 "$SERVER_LOG" >&2 || true
fi
echo "$PASSED passed, $FAILED failed"
exit "$TEST_RC"
