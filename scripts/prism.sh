#!/usr/bin/env bash
# Runs generated clients against Prism (@stoplight/prism-cli), a mock server that validates
# every request against the spec (security requirements included) and answers with
# responses generated from its schemas. Installs Prism with npm into .cache/prism, starts
# one Prism per spec on loopback, runs the ignored tests that use them (the Vercel client,
# `tests/prism.rs`; the auth fixture's client, `tests/compile/tests/prism_auth.rs`), and
# always stops Prism, even when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${PRISM_VERSION:-5.14.2}"
dir=.cache/prism
installed=$(node -p "require('./$dir/node_modules/@stoplight/prism-cli/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "@stoplight/prism-cli@$version"
fi
mkdir -p target
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done' EXIT

# start SPEC PORT LOG: starts Prism on SPEC and waits until it listens.
start() {
  "$dir/node_modules/.bin/prism" mock --dynamic --host 127.0.0.1 --port "$2" "$1" >"$3" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    if grep -q "Prism is listening" "$3"; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$3"; echo "Prism did not start on $1" >&2; exit 1; fi
    sleep 0.5
  done
  grep -q "Prism is listening" "$3" || { cat "$3"; echo "Prism did not start in 60 s on $1" >&2; exit 1; }
  echo "Prism $version listening on 127.0.0.1:$2 for $1 (log: $3)"
}

# violations LOG: the requests Prism found invalid. Prism logs its own generated responses'
# violations too ("Violation: response…"): they are Prism's, not ours, and the client
# decoded those responses anyway.
violations() {
  local requests responses
  requests=$(grep "VALIDATOR\] ✖" "$1" | grep -vc "Violation: response" || true)
  responses=$(grep -c "Violation: response" "$1" || true)
  echo "Prism ($1): $requests request violations; its own responses broke the schema $responses times" >&2
  echo "$requests"
}

port="${PRISM_PORT:-4010}"
start specs/vercel-create-integration-store.yaml "$port" target/prism.log
start tests/fixtures/auth.yaml "$((port + 1))" target/prism-auth.log
# One cargo run over the workspace, as the tests step built it (`-p` alone would pick
# other dependency features and build them again).
PRISM_URL="http://127.0.0.1:$port" PRISM_AUTH_URL="http://127.0.0.1:$((port + 1))" \
  cargo test --workspace --test prism --test prism_auth -- --ignored --nocapture
test "$(violations target/prism.log)" = 0
# The auth test sends requests without credentials on purpose (Prism must refuse those),
# so it checks each answer's status itself rather than this log.
