#!/usr/bin/env bash
# Writes DIR/Cargo.toml for a crate holding generated code: the dependencies every
# generated client needs (the runtime from this checkout), as its own workspace so that it
# builds inside this one's folders. Used by scripts/real-specs.sh, whose crates hold many
# specs' modules at once; a crate of one spec is `apigen generate --crate` (bench/run.sh,
# tests/github.rs).
#   scripts/generated-crate.sh NAME DIR [--member]
# With --member the crate is left for a workspace around it to hold (no [workspace] of its
# own, the lock file beside that workspace's manifest).
set -euo pipefail
name=$1 dir=$2 member=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir/src"
cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
apigen-runtime = { path = "$root/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "json"] }
TOML
[ "$member" = --member ] && exit 0
printf '\n[workspace]\n' >>"$dir/Cargo.toml"
# The workspace's versions, so that crates built into one target folder share their
# dependencies' artifacts.
cp "$root/Cargo.lock" "$dir/Cargo.lock"

