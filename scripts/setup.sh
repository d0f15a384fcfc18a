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

# The OCI runtimes measured as variants of the docker runtime (crun, gVisor's runsc), CRIU for the
# restore start model and podman; each registered with dockerd in daemon.json.
DAEMON_JSON=${COLDBENCH_DAEMON_JSON:-/etc/docker/daemon.json}
ensure_oci_packages() {
  local missing=()
  command -v crun >/dev/null || missing+=(crun)
  command -v runsc >/dev/null || missing+=(runsc)
  command -v criu >/dev/null || missing+=(criu)
  command -v podman >/dev/null || missing+=(podman)
  if [ ${#missing[@]} -eq 0 ]; then say "crun, runsc, criu and podman present"; else apt_install "${missing[@]}" || true; fi
}

# crun refuses "hybrid" cgroups (a controller left in the v2 hierarchy beside v1): each controller
# the unified hierarchy holds is mounted as v1 instead. Never unmounted: after containers used it,
# a detached hierarchy makes dockerd's stats answer zero for every container.
ensure_cgroup_controllers() {
  local unified=/sys/fs/cgroup/unified/cgroup.controllers controller
  [ -r "$unified" ] && [ "$(id -u)" = 0 ] || return 0
  for controller in $(cat "$unified"); do
    mountpoint -q "/sys/fs/cgroup/$controller" && continue
    say "mounting the $controller cgroup controller as v1 (crun refuses hybrid cgroups)"
    mkdir -p "/sys/fs/cgroup/$controller" && mount -t cgroup -o "$controller" cgroup "/sys/fs/cgroup/$controller" || say "could not mount $controller; crun will not start containers"
  done
}

# Merges coldbench's runtimes into daemon.json, keeping every other key, and writes it only when
# its content changes (prints "changed" then). "experimental" (docker checkpoint) only where CRIU works.
merge_daemon_json() {
  local experimental=false
  criu check >/dev/null 2>&1 && experimental=true
  node - "$DAEMON_JSON" "$experimental" <<'NODE'
const fs = require('node:fs');
const [file, experimental] = process.argv.slice(2);
let current = {};
try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { if (e.code !== 'ENOENT') { console.error(`setup: ${file} is not JSON (${e.message}); fix it by hand`); process.exit(1); } }
const wanted = { ...current, runtimes: { ...current.runtimes, crun: { path: '/usr/bin/crun' }, runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=host'] } } };
if (experimental === 'true') wanted.experimental = true;
const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
if (canonical(wanted) === canonical(current)) process.exit(0);
fs.mkdirSync(require('node:path').dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(wanted)}\n`);
console.log('changed');
NODE
}

# Tenants of a run in progress: labelled containers, or processes carrying the run marker.
tenants_up() {
  engine_answers && [ -n "$(docker ps -q --filter label=coldbench.run 2>/dev/null)" ] && return 0
  grep -qsla 'COLDBENCH_RUN=' /proc/[0-9]*/environ 2>/dev/null
}

restart_dockerd() {
  if tenants_up; then
    say "$DAEMON_JSON changed, but a coldbench run has tenants up: restart dockerd by hand once it ends (or run this again)"
    return 0
  fi
  say "$DAEMON_JSON changed: restarting dockerd"
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  start_dockerd overlay2 || say "dockerd did not start again; last lines of $DOCKERD_LOG: $(tail -n 5 "$DOCKERD_LOG")"
}

ensure_oci_runtimes() {
  [ "$(id -u)" = 0 ] || { say "only root can register OCI runtimes with dockerd; skipping crun and runsc"; return 0; }
  ensure_oci_packages
  ensure_cgroup_controllers
  command -v node >/dev/null || { say "node is needed to edit $DAEMON_JSON"; return 0; }
  local changed
  changed=$(merge_daemon_json) || return 0
  if [ "$changed" = changed ] && engine_answers; then restart_dockerd; else say "OCI runtimes registered in $DAEMON_JSON"; fi
}

# podman's Docker-compatible service (rootful), started when a scenario names podman and nothing
# answers on its socket; one that answers is never restarted. It outlives this script (setsid).
PODMAN_SOCKET=/run/podman/podman.sock
PODMAN_LOG=${COLDBENCH_PODMAN_LOG:-/var/log/coldbench-podman.log}
podman_answers() {
  [ -S "$PODMAN_SOCKET" ] && curl -sf --max-time 2 --unix-socket "$PODMAN_SOCKET" http://localhost/_ping >/dev/null 2>&1
}
ensure_podman() {
  grep -qsE '^runtimes:.*\bpodman\b' scenarios/*.yaml || return 0
  if podman_answers; then say "podman service answers on $PODMAN_SOCKET"; return 0; fi
  command -v podman >/dev/null || apt_install podman || return 0
  [ "$(id -u)" = 0 ] || { say "only root can start podman's rootful service: sudo podman system service --time=0 unix://$PODMAN_SOCKET &"; return 0; }
  say "starting podman's service on $PODMAN_SOCKET (log $PODMAN_LOG)"
  mkdir -p "$(dirname "$PODMAN_SOCKET")"
  setsid podman system service --time=0 "unix://$PODMAN_SOCKET" >>"$PODMAN_LOG" 2>&1 < /dev/null &
  for _ in $(seq 1 40); do podman_answers && { say "podman service started"; return 0; }; sleep 0.5; done
  say "podman's service did not answer; last lines of $PODMAN_LOG:"; tail -n 5 "$PODMAN_LOG"
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
# --tune-limits: also raise the kernel limits a density ramp hits before memory (opt-in, printed).
for arg in "$@"; do
  case $arg in
    --tune-limits) TUNE_LIMITS=1 ;;
    *) say "unknown option $arg (expected --tune-limits)"; exit 2 ;;
  esac
done
# Before the engine starts, so that a fresh machine starts dockerd once, with its runtimes.
command -v dockerd >/dev/null || engine_answers || apt_install docker.io || true
ensure_oci_runtimes
ensure_docker
ensure_podman
ensure_c_toolchain
ensure_wrk
ensure_chromium
ensure_wasmtime
bash scripts/build-wac.sh >/dev/null || say "wac (component composition, for the pipeline workload) was not built; run: bash scripts/build-wac.sh"
grep -qs "^language: python" workloads/*/workload.yaml && { bash scripts/install-componentize-py.sh || say "componentize-py was not installed (Python workloads cannot be built as components); see the lines above"; }
[ -z "${TUNE_LIMITS:-}" ] || bash scripts/tune-limits.sh
