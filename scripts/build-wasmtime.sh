#!/usr/bin/env bash
# Builds the two wasmtime runtimes with cargo, idempotently, into a cache outside the clone (so CI
# and the next clone reuse them): the coldbench wasmtime host (hosts/wasmtime, on the wasmtime
# crates) and the upstream `wasmtime` CLI for `wasmtime serve`. Each is rebuilt only when its
# inputs changed. Usage: scripts/build-wasmtime.sh [host|cli|all|test|version]   (default: all;
# test: the host's Rust unit tests, built with the release profile so they reuse the host's
# compiled crates; version: prints the pinned wasmtime version)
set -euo pipefail
cd "$(dirname "$0")/.."

# The one place the wasmtime version is pinned: the host's Cargo.toml (`wasmtime = { version = "=X.Y.Z", … }`).
# The CLI, the TypeScript side and the host's own report read it from there; `cargo test` checks the lock file.
WASMTIME_VERSION=$(sed -n 's/^wasmtime = \({ version = \)\{0,1\}"=\([0-9][0-9.]*\)".*/\2/p' hosts/wasmtime/Cargo.toml)
[ -n "$WASMTIME_VERSION" ] || { echo "wasmtime: hosts/wasmtime/Cargo.toml: expected a line wasmtime = { version = \"=X.Y.Z\", … }" >&2; exit 2; }
CACHE=${COLDBENCH_CACHE:-$HOME/.cache/coldbench}
export CARGO_TARGET_DIR="$CACHE/cargo-target"
HOST_BIN="$CACHE/bin/coldbench-wasmtime-host"
CLI_ROOT="$CACHE/wasmtime-cli-$WASMTIME_VERSION"
# Only what `wasmtime serve`, `run` and `compile` need: a default build takes much longer.
CLI_FEATURES=run,serve,compile,cranelift,pooling-allocator,parallel-compilation,component-model,component-model-async,cache

say() { echo "wasmtime: $*"; }

# The Rust version rust-toolchain.toml pins (rustup reads the file itself; a bare cargo is checked).
RUST_VERSION=$(sed -n 's/^channel = "\([0-9.]*\)"$/\1/p' rust-toolchain.toml)

need_cargo() {
  if ! command -v cargo >/dev/null; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null; then
    say "cargo is not installed for $(id -un): install Rust $RUST_VERSION with rustup (curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain $RUST_VERSION), open a new shell, run this again; or copy built runtimes into $CACHE (see docs/ci.md)"
    return 1
  fi
  if command -v rustup >/dev/null; then pin_rustup_toolchain || return 1; fi
  local have
  have=$(rustc -V | cut -d' ' -f2)
  if [ "$(printf '%s\n%s\n' "$RUST_VERSION" "$have" | sort -V | head -n1)" != "$RUST_VERSION" ]; then
    say "rustc $have is older than the $RUST_VERSION that rust-toolchain.toml pins (wasmtime $WASMTIME_VERSION needs it): install Rust $RUST_VERSION"
    return 1
  fi
}

# rustup would download the pinned toolchain on first use. An installed toolchain of the same
# version under another name (stable, on a machine without internet) is used instead; otherwise
# it is installed once, with the minimal profile.
pin_rustup_toolchain() {
  [ -z "${RUSTUP_TOOLCHAIN:-}" ] || return 0
  rustup toolchain list | grep -q "^$RUST_VERSION-" && return 0
  local name
  for name in $(rustup toolchain list | cut -d' ' -f1); do
    if [ "$(RUSTUP_TOOLCHAIN=$name rustc -V 2>/dev/null | cut -d' ' -f2)" = "$RUST_VERSION" ]; then
      say "using the installed toolchain $name (rustc $RUST_VERSION)"
      export RUSTUP_TOOLCHAIN=$name
      return 0
    fi
  done
  say "installing Rust $RUST_VERSION with rustup (rust-toolchain.toml)"
  rustup toolchain install "$RUST_VERSION" --profile minimal || { say "rustup could not install Rust $RUST_VERSION"; return 1; }
}

# The host is rebuilt when its sources or lock file change: their hash is stamped next to the binary.
build_host() {
  local stamp
  stamp=$(cat hosts/wasmtime/Cargo.toml hosts/wasmtime/Cargo.lock hosts/wasmtime/src/*.rs | sha256sum | cut -c1-16)
  if [ -x "$HOST_BIN" ] && [ "$(cat "$HOST_BIN.stamp" 2>/dev/null)" = "$stamp" ]; then
    say "host built ($HOST_BIN)"
    return 0
  fi
  need_cargo || return 1
  say "building the coldbench wasmtime host (wasmtime $WASMTIME_VERSION crates; the first build takes several minutes)…"
  local started=$SECONDS
  cargo build --release --locked --manifest-path hosts/wasmtime/Cargo.toml
  mkdir -p "$(dirname "$HOST_BIN")"
  cp "$CARGO_TARGET_DIR/release/coldbench-wasmtime-host" "$HOST_BIN.tmp" && mv "$HOST_BIN.tmp" "$HOST_BIN"
  echo "$stamp" > "$HOST_BIN.stamp"
  say "host built in $((SECONDS - started)) s"
}

build_cli() {
  if [ -x "$CLI_ROOT/bin/wasmtime" ]; then
    say "CLI built ($("$CLI_ROOT/bin/wasmtime" --version))"
    return 0
  fi
  need_cargo || return 1
  say "building wasmtime-cli $WASMTIME_VERSION (features $CLI_FEATURES; the first build takes several minutes)…"
  local started=$SECONDS
  cargo install wasmtime-cli --version "$WASMTIME_VERSION" --locked --no-default-features --features "$CLI_FEATURES" \
    --root "$CLI_ROOT.partial"
  rm -rf "$CLI_ROOT" && mv "$CLI_ROOT.partial" "$CLI_ROOT"
  say "CLI built in $((SECONDS - started)) s"
}

# Without cargo the tests are skipped with one line, unless the machine must have the wasmtime host
# (COLDBENCH_REQUIRE_RUNTIMES says "all" or names wasmtime, as CI does): then that is a failure.
test_host() {
  if ! need_cargo; then
    case ",${COLDBENCH_REQUIRE_RUNTIMES:-}," in
      *,all,* | *,wasmtime,*) return 1 ;;
    esac
    say "skipping the host's Rust unit tests"
    return 0
  fi
  cargo test --release --locked --manifest-path hosts/wasmtime/Cargo.toml
}

case "${1:-all}" in
  host) build_host ;;
  cli) build_cli ;;
  all) build_host; build_cli ;;
  test) test_host ;;
  version) echo "$WASMTIME_VERSION" ;;
  *) echo "usage: $0 [host|cli|all|test|version]" >&2; exit 2 ;;
esac
