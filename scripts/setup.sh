#!/usr/bin/env bash
# Installs and starts what coldbench needs on a Debian machine, idempotently: a Docker engine
# (Debian's docker.io, started as dockerd with overlay2 when no engine answers on the socket),
# compilers when a workload is written in C, Chromium for the report tests, and the wasmtime
# runtimes (built with cargo, cached outside the clone).
# Safe to run again and again; it only acts on what is missing.
set -euo pipefail

SOCKET=/var/run/docker.sock
DOCKERD_LOG=${COLDBENCH_DOCKERD_LOG:-/var/log/coldbench-dockerd.log}

say() { echo "setup: $*"; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

apt_install() {
  if ! can_install; then
    say "cannot install $* (needs root and apt-get); install it by hand: apt-get install -y $*"
    return 1
  fi
  # The package lists are refreshed once per setup, and only when something must be installed.
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

engine_answers() {
  [ -S "$SOCKET" ] && curl -sf --max-time 2 --unix-socket "$SOCKET" http://localhost/_ping >/dev/null 2>&1
}

wait_for_engine() {
  for _ in $(seq 1 "${1:-120}"); do
    engine_answers && return 0
    sleep 0.5
  done
  return 1
}

start_dockerd() {
  local driver=$1
  say "starting dockerd (storage driver $driver, log $DOCKERD_LOG)"
  # setsid: the engine outlives this script and the npm process that ran it.
  setsid dockerd --storage-driver="$driver" >>"$DOCKERD_LOG" 2>&1 < /dev/null &
  wait_for_engine
}

ensure_docker() {
  command -v curl >/dev/null || apt_install curl ca-certificates || return 0
  if engine_answers; then
    say "Docker engine answers on $SOCKET"
    return 0
  fi
  command -v dockerd >/dev/null || apt_install docker.io || return 0
  if [ "$(id -u)" != 0 ]; then
    say "no Docker engine answers and only root can start dockerd: sudo dockerd --storage-driver=overlay2 &"
    return 0
  fi
  # A dockerd that is still starting (or a stale pid file from a killed one) gets a moment first.
  if pgrep -x dockerd >/dev/null && wait_for_engine 20; then return 0; fi
  pkill -x dockerd 2>/dev/null || true
  rm -f /var/run/docker.pid
  start_dockerd overlay2 || { pkill -x dockerd 2>/dev/null || true; sleep 1; start_dockerd vfs; } || {
    say "dockerd did not start; last lines of $DOCKERD_LOG:"; tail -n 20 "$DOCKERD_LOG"; return 1;
  }
  say "Docker engine started"
}

# The native prober and C workloads need a native compiler (static binaries); C workloads also
# need clang with wasi-libc (Wasm).
ensure_c_toolchain() {
  local missing=()
  command -v cc >/dev/null || missing+=(gcc libc6-dev)
  if ! grep -qs '^language: c' workloads/*/workload.yaml; then
    [ ${#missing[@]} -eq 0 ] && say "C compiler present (cc)" || apt_install "${missing[@]}" || true
    return 0
  fi
  command -v clang >/dev/null || missing+=(clang)
  command -v wasm-ld >/dev/null || command -v wasm-ld-14 >/dev/null || missing+=(lld)
  [ -f /usr/lib/wasm32-wasi/libc.a ] || missing+=(wasi-libc)
  ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 || missing+=(libclang-rt-14-dev-wasm32)
  if [ ${#missing[@]} -eq 0 ]; then
    say "C toolchain present (cc, clang, wasi-libc)"
  else
    apt_install "${missing[@]}" || true
  fi
}

# `coldbench calibrate` runs wrk beside autocannon, to tell the load client's ceiling from the server's.
ensure_wrk() {
  if command -v wrk >/dev/null; then
    say "wrk present"
  else
    apt_install wrk || true
  fi
}

# The report tests open reports in Debian's Chromium through playwright-core.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    say "Chromium present"
  else
    apt_install chromium fonts-dejavu-core || true
  fi
}

# The wasmtime runtimes: built with cargo into a cache outside the clone, once (see build-wasmtime.sh).
# A failed build leaves them unavailable (doctor says why) instead of stopping the set-up.
ensure_wasmtime() {
  bash scripts/build-wasmtime.sh all || say "the wasmtime runtimes were not built; see the lines above, or run: bash scripts/build-wasmtime.sh"
}

cd "$(dirname "$0")/.."
ensure_docker
ensure_c_toolchain
ensure_wrk
ensure_chromium
ensure_wasmtime
