#!/usr/bin/env bash
# Runs the generated Vercel client against Prism (@stoplight/prism-cli), a mock server that
# validates every request against the spec and answers with responses generated from its
# schemas. Installs Prism with npm into .cache/prism, starts it on loopback, runs the
# ignored test `tests/prism.rs`, and always stops Prism, even when the test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${PRISM_VERSION:-5.14.2}"
dir=.cache/prism
installed=$(node -p "require('./$dir/node_modules/@stoplight/prism-cli/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "@stoplight/prism-cli@$version"
fi
port="${PRISM_PORT:-4010}"
log=target/prism.log
mkdir -p target
"$dir/node_modules/.bin/prism" mock --dynamic --host 127.0.0.1 --port "$port" \
  specs/vercel-create-integration-store.yaml >"$log" 2>&1 &
prism_pid=$!
trap 'kill "$prism_pid" 2>/dev/null || true; wait "$prism_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if grep -q "Prism is listening" "$log"; then break; fi
  if ! kill -0 "$prism_pid" 2>/dev/null; then cat "$log"; echo "Prism did not start" >&2; exit 1; fi
  sleep 0.5
done
grep -q "Prism is listening" "$log" || { cat "$log"; echo "Prism did not start in 60 s" >&2; exit 1; }
echo "Prism $version listening on 127.0.0.1:$port (log: $log)"
PRISM_URL="http://127.0.0.1:$port" cargo test --test prism -- --ignored --nocapture
# Prism logs its own generated responses' violations too ("Violation: response…"): they
# are Prism's, not ours, and the client decoded those responses anyway.
request_violations=$(grep "VALIDATOR\] ✖" "$log" | grep -vc "Violation: response" || true)
response_violations=$(grep -c "Violation: response" "$log" || true)
echo "Prism: $request_violations request violations; its own responses broke the schema $response_violations times"
test "$request_violations" = 0
