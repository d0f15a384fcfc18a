#!/usr/bin/env bash
# Builds `wac` (crates.io wac-cli), the tool that links components into one, idempotently, into the
# same cache as the wasmtime builds (so CI and the next clone reuse it). Only the `wit` feature:
# the default `registry` feature pulls a package-registry client coldbench never uses.
# Usage: scripts/build-wac.sh   (prints the binary's path on its last line)
set -euo pipefail
cd "$(dirname "$0")/.."

# The one place the wac version is pinned; src/workloads/wac-tool.ts reads it from here.
WAC_VERSION=0.12.0
CACHE=${COLDBENCH_CACHE:-$HOME/.cache/coldbench}
ROOT="$CACHE/wac-cli-$WAC_VERSION"

say() { echo "wac: $*" >&2; }

if [ -x "$ROOT/bin/wac" ]; then
  say "built ($("$ROOT/bin/wac" --version))"
  echo "$ROOT/bin/wac"
  exit 0
fi
if ! command -v cargo >/dev/null; then
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || { say "cargo is not installed: install Rust (rustup) to build wac for the composition workloads"; exit 1; }
say "building wac-cli $WAC_VERSION (the first build takes several minutes)…"
started=$SECONDS
rm -rf "$ROOT.partial"
cargo install wac-cli --version "$WAC_VERSION" --locked --no-default-features --features wit --root "$ROOT.partial" >&2
rm -rf "$ROOT" && mv "$ROOT.partial" "$ROOT"
say "built in $((SECONDS - started)) s"
echo "$ROOT/bin/wac"
