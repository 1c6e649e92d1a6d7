#!/usr/bin/env bash
# Karuna's API checked from outside against its own OpenAPI document:
#
#   e2e/api-fuzz.sh                      # from the repo root (or anywhere)
#   KARUNA_BIN=target/release/karuna e2e/api-fuzz.sh
#   FUZZ_EXAMPLES=50 FUZZ_SEED=1 e2e/api-fuzz.sh
#
# 1. makes (once) a Python venv in ${KARUNA_FUZZ_VENV:-~/.cache/karuna/fuzz-venv} with
#    openapi-spec-validator and schemathesis from PyPI (pinned below);
# 2. starts `$KARUNA_BIN serve --demo --addr 127.0.0.1:0 --data-dir <fresh temp dir>`;
# 3. validates /api/openapi.json with openapi-spec-validator;
# 4. issues bearer tokens with `karuna admin token` and runs schemathesis over every
#    operation (examples, coverage and fuzzing phases, FUZZ_EXAMPLES per operation) as a
#    supervisor (case work) and as an administrator (accounts, configuration, templates),
#    with the checks not_a_server_error, status_code_conformance,
#    content_type_conformance, response_headers_conformance, response_schema_conformance;
# 5. always stops the server. Exits non-zero on any failure and ends with a line
#    "api-fuzz: N failed".
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/.." && pwd)"
cd "$REPO_ROOT"

KARUNA_BIN="${KARUNA_BIN:-target/debug/karuna}"
VENV="${KARUNA_FUZZ_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/karuna/fuzz-venv}"
EXAMPLES="${FUZZ_EXAMPLES:-15}"
SEED="${FUZZ_SEED:-20261204}"
START_TIMEOUT_S="${E2E_START_TIMEOUT_S:-60}"
# Pinned so a new release cannot turn the suite red on its own; raise deliberately.
PACKAGES=(schemathesis==4.32.5 openapi-spec-validator==0.9.0)
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"

log() { printf 'api-fuzz: %s\n' "$*" >&2; }

if [[ ! -x "$KARUNA_BIN" ]]; then
  log "server binary '$KARUNA_BIN' not found (set KARUNA_BIN or run cargo build first)"
  echo "api-fuzz: 1 failed"
  exit 1
fi

# --- 1. the tools ------------------------------------------------------------------
stamp="$VENV/.karuna-packages"
if [[ ! -x "$VENV/bin/schemathesis" || "$(cat "$stamp" 2>/dev/null)" != "${PACKAGES[*]}" ]]; then
  log "installing ${PACKAGES[*]} into $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}"
  echo "${PACKAGES[*]}" >"$stamp"
fi

# --- 2. the server -----------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/karuna-fuzz.XXXXXX")"
DATA_DIR="$WORK/data"
SERVER_LOG="$WORK/server.log"
mkdir -p "$DATA_DIR"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$KARUNA_BIN" serve --demo --addr 127.0.0.1:0 --data-dir "$DATA_DIR" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
URL=""
deadline=$((SECONDS + START_TIMEOUT_S))
while [[ -z "$URL" ]]; do
  URL="$(grep -m1 -oE 'karuna listening on http://127\.0\.0\.1:[0-9]+' "$SERVER_LOG" 2>/dev/null \
    | sed -e 's/^karuna listening on //' || true)"
  [[ -n "$URL" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null || (( SECONDS >= deadline )); then
    log "the server did not start; its output:"
    cat "$SERVER_LOG" >&2
    SERVER_PID=""
    echo "api-fuzz: 1 failed"
    exit 1
  fi
  sleep 0.2
done
log "server ready at $URL"

# --- 3. the document is valid OpenAPI ----------------------------------------------
curl -fsS "$URL/api/openapi.json" -o "$WORK/openapi.json"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json" >&2

# --- 4. schemathesis ---------------------------------------------------------------
token() { "$KARUNA_BIN" admin token --data-dir "$DATA_DIR" --user "$1" --label api-fuzz 2>/dev/null; }
failed=0
run() {
  local who="$1"; shift
  local tok
  tok="$(token "$who")"
  log "schemathesis as $who ($EXAMPLES examples per operation)"
  # Run inside the temp dir: schemathesis keeps a cache folder (.schemathesis) in the cwd.
  if ! (cd "$WORK" && "$VENV/bin/schemathesis" run "$WORK/openapi.json" \
      --url "$URL" \
      --header "Authorization: Bearer $tok" \
      --header "Accept-Language: th" \
      --checks "$CHECKS" \
      --phases examples,coverage,fuzzing \
      --max-examples "$EXAMPLES" \
      --seed "$SEED" \
      --workers 2 \
      --request-timeout 30 \
      --suppress-health-check all \
      --report-dir "$WORK/report-$who" \
      --output-truncate true \
      "$@"); then
    failed=$((failed + 1))
  fi
}
# Case work (the supervisor sees and approves; nothing here is admin-only). Operations on
# one case get a real demo case's id (schemathesis.toml in the run's folder), so they reach
# the use cases instead of stopping at 404.
sup="$(token demo-supervisor)"
case_id="$(curl -fsS -H "Authorization: Bearer $sup" "$URL/api/v1/cases?limit=1" \
  | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')"
cat >"$WORK/schemathesis.toml" <<TOML
[[operations]]
include-path-regex = "^/api/v1/cases/\\\\{id\\\\}"
parameters = { "id" = "$case_id" }
TOML
run demo-supervisor --exclude-tag users --exclude-tag configuration
# Administration: accounts, case types, assessment templates, and reads open to all.
run demo-admin --include-tag users --include-tag configuration --include-tag assessments \
  --include-tag account --include-tag areas --include-tag operations

if [[ "$failed" -ne 0 ]]; then
  log "last lines of the server's output:"
  tail -n 40 "$SERVER_LOG" >&2 || true
fi
echo "api-fuzz: $failed failed"
[[ "$failed" -eq 0 ]]
