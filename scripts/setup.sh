#!/usr/bin/env bash
# Installs and starts what coldbench needs on a Debian or Ubuntu machine, idempotently: a Docker
# engine (docker.io; systemctl starts it where systemd runs, else dockerd is started by hand),
# compilers when a workload is written in C, a browser for the report tests, and the wasmtime
# runtimes (built with cargo, cached outside the clone).
# Run it as yourself: only what needs root (apt-get, starting the engine, daemon.json, cgroup
# mounts) goes through `sudo -n`; without root or password-less sudo it prints the command to run.
# Safe to run again and again; it only acts on what is missing.
set -euo pipefail

SOCKET=/var/run/docker.sock
DOCKERD_LOG=${COLDBENCH_DOCKERD_LOG:-/var/log/coldbench-dockerd.log}

say() { echo "setup: $*"; }

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/as-root.sh
. scripts/lib/as-root.sh

can_install() { command -v apt-get >/dev/null && can_be_root; }

apt_install() {
  if ! command -v apt-get >/dev/null; then
    say "cannot install $* (no apt-get): install the equivalent packages by hand"
    return 1
  fi
  if ! can_be_root; then
    say "cannot install $* (not root, and sudo asks for a password); run: sudo apt-get install -y $*"
    return 1
  fi
  # The package lists are refreshed once per setup, and only when something must be installed.
  if [ -z "${APT_UPDATED:-}" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  # A package this distribution lacks (Ubuntu has no runsc) must not stop the others from installing.
  local pkg found=()
  for pkg in "$@"; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then found+=("$pkg"); else say "$pkg is not in this machine's package archives; skipping it"; fi
  done
  [ ${#found[@]} -gt 0 ] || return 1
  say "installing ${found[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${found[@]}" >/dev/null
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
  if has_systemd && systemctl cat docker.service >/dev/null 2>&1; then
    say "starting docker.service (systemctl)"
    as_root systemctl start docker.service || return 1
  else
    say "starting dockerd (storage driver $driver, log $DOCKERD_LOG)"
    # setsid: the engine outlives this script and the npm process that ran it; from /, so that
    # removing the clone it was started from leaves it (and what it spawns) a working directory.
    as_root sh -c 'cd / && setsid dockerd --storage-driver="$1" >>"$2" 2>&1 </dev/null &' sh "$driver" "$DOCKERD_LOG" || return 1
  fi
  wait_for_engine
}

# The socket exists but this user may not use it: the fix is the docker group, not root.
socket_denied() { [ -S "$SOCKET" ] && { [ ! -r "$SOCKET" ] || [ ! -w "$SOCKET" ]; }; }

ensure_docker() {
  command -v curl >/dev/null || apt_install curl ca-certificates || return 0
  if engine_answers; then
    say "Docker engine answers on $SOCKET"
    return 0
  fi
  if socket_denied; then
    say "$(id -un) may not use $SOCKET: add yourself to the docker group (sudo usermod -aG docker $(id -un)), then run \`newgrp docker\` or log in again"
    return 0
  fi
  command -v dockerd >/dev/null || apt_install docker.io || return 0
  if ! can_be_root; then
    if has_systemd; then
      say "no Docker engine answers and starting one needs root: sudo systemctl start docker"
    else
      say "no Docker engine answers and starting one needs root: sudo dockerd --storage-driver=overlay2 &"
    fi
    return 0
  fi
  # A dockerd that is still starting (or a stale pid file from a killed one) gets a moment first.
  if pgrep -x dockerd >/dev/null && wait_for_engine 20; then return 0; fi
  if ! has_systemd; then
    as_root pkill -x dockerd 2>/dev/null || true
    as_root rm -f /var/run/docker.pid
  fi
  start_dockerd overlay2 || { has_systemd || { as_root pkill -x dockerd 2>/dev/null || true; sleep 1; start_dockerd vfs; }; } || {
    say "dockerd did not start; last lines of its log:"
    if has_systemd; then as_root journalctl -u docker.service -n 20 --no-pager || true; else as_root tail -n 20 "$DOCKERD_LOG" || true; fi
    return 1
  }
  socket_denied && say "started, but $(id -un) may not use $SOCKET: sudo usermod -aG docker $(id -un), then \`newgrp docker\`"
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
  [ -r "$unified" ] || return 0
  for controller in $(cat "$unified"); do
    mountpoint -q "/sys/fs/cgroup/$controller" && continue
    if ! can_be_root; then
      say "crun refuses hybrid cgroups: as root, run: mkdir -p /sys/fs/cgroup/$controller && mount -t cgroup -o $controller cgroup /sys/fs/cgroup/$controller"
      continue
    fi
    say "mounting the $controller cgroup controller as v1 (crun refuses hybrid cgroups)"
    as_root mkdir -p "/sys/fs/cgroup/$controller" && as_root mount -t cgroup -o "$controller" cgroup "/sys/fs/cgroup/$controller" ||
      say "could not mount $controller; crun will not start containers"
  done
}

# daemon.json with coldbench's runtimes merged in, every other key kept; prints nothing when the
# file already says so. "experimental" (docker checkpoint) only where CRIU works.
wanted_daemon_json() {
  local experimental=false
  criu check >/dev/null 2>&1 && experimental=true
  node - "$DAEMON_JSON" "$experimental" <<'NODE'
const fs = require('node:fs');
const [file, experimental] = process.argv.slice(2);
let current = {};
try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { if (e.code !== 'ENOENT') { console.error(`setup: cannot use ${file} (${e.message}); fix it by hand`); process.exit(1); } }
// Only the runtimes installed here: a registered path that does not exist fails at the first container.
const ours = { crun: { path: '/usr/bin/crun' }, runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=host'] } };
const installed = Object.fromEntries(Object.entries(ours).filter(([, r]) => fs.existsSync(r.path)));
const wanted = { ...current, runtimes: { ...current.runtimes, ...installed } };
if (Object.keys(wanted.runtimes).length === 0) delete wanted.runtimes;
if (experimental === 'true') wanted.experimental = true;
const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
if (canonical(wanted) !== canonical(current)) console.log(JSON.stringify(wanted));
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
  if has_systemd && systemctl cat docker.service >/dev/null 2>&1; then
    as_root systemctl restart docker.service && wait_for_engine && return 0
    say "docker.service did not restart: sudo journalctl -u docker.service"
    return 0
  fi
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ]; then
    as_root kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  start_dockerd overlay2 || say "dockerd did not start again; last lines of $DOCKERD_LOG: $(as_root tail -n 5 "$DOCKERD_LOG")"
}

ensure_oci_runtimes() {
  ensure_oci_packages
  ensure_cgroup_controllers
  command -v node >/dev/null || { say "node is needed to edit $DAEMON_JSON"; return 0; }
  local wanted
  wanted=$(wanted_daemon_json) || return 0
  if [ -z "$wanted" ]; then say "OCI runtimes registered in $DAEMON_JSON"; return 0; fi
  if ! can_be_root; then
    say "crun and runsc are not registered with dockerd, and that needs root; run: echo '$wanted' | sudo tee $DAEMON_JSON && sudo systemctl restart docker"
    return 0
  fi
  as_root mkdir -p "$(dirname "$DAEMON_JSON")"
  printf '%s\n' "$wanted" | as_root tee "$DAEMON_JSON" >/dev/null
  if engine_answers; then restart_dockerd; else say "OCI runtimes registered in $DAEMON_JSON"; fi
}

# podman's Docker-compatible service (rootful), started when a scenario names podman and nothing
# answers on its socket; one that answers is never restarted. It outlives this script (setsid).
# Its socket is root's: a user who is not root measures podman only with `sudo`-free access to it.
PODMAN_SOCKET=/run/podman/podman.sock
PODMAN_LOG=${COLDBENCH_PODMAN_LOG:-/var/log/coldbench-podman.log}
podman_answers() {
  [ -S "$PODMAN_SOCKET" ] && curl -sf --max-time 2 --unix-socket "$PODMAN_SOCKET" http://localhost/_ping >/dev/null 2>&1
}
ensure_podman() {
  grep -qsE '^runtimes:.*\bpodman\b' scenarios/*.yaml || return 0
  if podman_answers; then say "podman service answers on $PODMAN_SOCKET"; return 0; fi
  command -v podman >/dev/null || apt_install podman || return 0
  if ! can_be_root; then
    say "podman's rootful service is not running (or not yours to use), and starting it needs root: sudo podman system service --time=0 unix://$PODMAN_SOCKET &"
    return 0
  fi
  say "starting podman's service on $PODMAN_SOCKET (log $PODMAN_LOG)"
  as_root mkdir -p "$(dirname "$PODMAN_SOCKET")"
  # From /: conmon inherits the service's working directory, and fails every container ("Failed to
  # get working directory") once the clone the service was started from is removed.
  as_root sh -c 'cd / && setsid podman system service --time=0 "unix://$1" >>"$2" 2>&1 </dev/null &' sh "$PODMAN_SOCKET" "$PODMAN_LOG"
  for _ in $(seq 1 40); do podman_answers && { say "podman service started"; return 0; }; sleep 0.5; done
  say "podman's service did not answer (as $(id -un)); last lines of $PODMAN_LOG:"; as_root tail -n 5 "$PODMAN_LOG" || true
}

# The native prober and C workloads need a native compiler (static binaries); C workloads also
# need clang with wasi-libc (Wasm), and the lld and Wasm runtime library of clang's own LLVM
# version (14 on Debian 12, 18 on Ubuntu 24.04): clang itself says which files it will use.
ensure_c_toolchain() {
  local missing=()
  command -v cc >/dev/null || missing+=(gcc libc6-dev)
  if ! grep -qs '^language: c' workloads/*/workload.yaml; then
    [ ${#missing[@]} -eq 0 ] && say "C compiler present (cc)" || apt_install "${missing[@]}" || true
    return 0
  fi
  # clang first: its version names the packages that must match it.
  command -v clang >/dev/null || apt_install clang || { say "clang is missing; the C workloads' components cannot be built"; return 0; }
  local llvm linker builtins
  llvm=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\)\..*/\1/p' | head -n1)
  linker=$(clang --target=wasm32-wasi -print-prog-name=wasm-ld)
  builtins=$(clang --target=wasm32-wasi --rtlib=compiler-rt -print-libgcc-file-name)
  [ -x "$linker" ] || command -v "$linker" >/dev/null || missing+=("lld-$llvm")
  [ -f /usr/lib/wasm32-wasi/libc.a ] || missing+=(wasi-libc)
  [ -f "$builtins" ] || missing+=("libclang-rt-$llvm-dev-wasm32")
  if [ ${#missing[@]} -eq 0 ]; then
    say "C toolchain present (cc, clang $llvm, wasm-ld, wasi-libc, $(basename "$builtins"))"
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

# The report tests open reports in Chromium or Chrome through playwright-core: the one named by
# CHROME_BIN or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, else the first on PATH (src/sys/browser.ts
# looks in the same order). Debian packages Chromium; Ubuntu's is a snap (its private /tmp hides
# the reports), so there the fix is Google Chrome or `npx playwright-core install chromium`.
find_browser() {
  local name
  for name in "${CHROME_BIN:-}" "${PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH:-}" chromium chromium-browser google-chrome google-chrome-stable; do
    [ -n "$name" ] && command -v "$name" 2>/dev/null && return 0
  done
  return 1
}
ensure_browser() {
  local found
  if found=$(find_browser); then
    case $(readlink -f "$found") in
      /snap/*) say "browser $found is a snap: its private /tmp cannot open the reports the tests write; set CHROME_BIN to a Chrome or Chromium outside snap" ;;
      *) say "browser present ($found)" ;;
    esac
  elif grep -qsx 'ID=ubuntu' /etc/os-release; then
    say "no browser for the report tests (Ubuntu's chromium is a snap): install Google Chrome, or run \`npx playwright-core install chromium\` and set CHROME_BIN to the path it prints"
  else
    apt_install chromium fonts-dejavu-core || true
  fi
}

# The wasmtime runtimes: built with cargo into a cache outside the clone, once (see build-wasmtime.sh).
# A failed build leaves them unavailable (doctor says why) instead of stopping the set-up.
ensure_wasmtime() {
  bash scripts/build-wasmtime.sh all || say "the wasmtime runtimes were not built; see the lines above, or run: bash scripts/build-wasmtime.sh"
}

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
bash scripts/install-bubblewrap.sh || say "the sandboxed process variant (process.sandbox: bubblewrap) is unavailable; see the line above"
ensure_browser
# PostgreSQL for the results store's tests (started by the tests themselves: scripts/setup-postgres.sh).
bash scripts/setup-postgres.sh install || say "PostgreSQL is not installed: the store's PostgreSQL tests will skip (fix: apt-get install postgresql)"
ensure_wasmtime
bash scripts/build-wac.sh >/dev/null || say "wac (component composition, for the pipeline workload) was not built; run: bash scripts/build-wac.sh"
grep -qs "^language: python" workloads/*/workload.yaml && { bash scripts/install-componentize-py.sh || say "componentize-py was not installed (Python workloads cannot be built as components); see the lines above"; }
[ -z "${TUNE_LIMITS:-}" ] || bash scripts/tune-limits.sh
