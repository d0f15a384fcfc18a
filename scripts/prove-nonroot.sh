#!/usr/bin/env bash
# Proves that coldbench runs for a user who is not root: creates a fresh unprivileged user in the
# docker group (no sudo), clones this repository's HEAD for it, and as that user runs what the
# README says (npm ci, scripts/setup.sh), the quick scenario (fewer iterations) and a two-tenant
# docker density ramp; then checks that every runtime was measured and that the memory root's
# processes hold was recorded as skipped with its reason, never as zero. Removes the user, its
# processes and the clone afterwards, whatever happened.
#
# Like GitHub's cache, it seeds the user's caches from this machine's: the npm cache, and the two
# built wasmtime runtimes (binaries and stamp, not the cargo target folder), used only when they
# were built from the clone's sources; so the user needs no cargo (root's Rust is not readable).
# Run as root: bash scripts/prove-nonroot.sh   (about 3-6 minutes; exit 0 when proven)
# Environment: COLDBENCH_PROOF_USER (default coldbench-ci), COLDBENCH_PROOF_ITERATIONS (default 5),
# COLDBENCH_CACHE (the cache to seed from, default ~/.cache/coldbench).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROOF_USER=${COLDBENCH_PROOF_USER:-coldbench-ci}
ITERATIONS=${COLDBENCH_PROOF_ITERATIONS:-5}
SEED=${COLDBENCH_CACHE:-$HOME/.cache/coldbench}

say() { echo "prove-nonroot: $*"; }
die() { echo "prove-nonroot: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (it creates and removes a user); run: sudo bash scripts/prove-nonroot.sh"
getent group docker >/dev/null || die "no docker group: run bash scripts/setup.sh first"
if id "$PROOF_USER" >/dev/null 2>&1; then
  # Left by a killed earlier proof: only a user this script made (its marker comment) is removed.
  [ "$(getent passwd "$PROOF_USER" | cut -d: -f5)" = "coldbench non-root proof" ] || die "user $PROOF_USER exists and is not this script's; set COLDBENCH_PROOF_USER"
  userdel -r "$PROOF_USER" 2>/dev/null || true
fi

WORK=$(mktemp -d /tmp/coldbench-nonroot.XXXXXX)
RUNNER_PID=
cleanup() {
  local status=$?
  # The user's processes: the run's process group first, then anything coldbench left (clean).
  [ -z "$RUNNER_PID" ] || kill -- -"$RUNNER_PID" 2>/dev/null || true
  if id "$PROOF_USER" >/dev/null 2>&1; then
    [ ! -x "$WORK/coldbench/bin/coldbench.js" ] || runuser -u "$PROOF_USER" -- env HOME="$HOME_DIR" node "$WORK/coldbench/bin/coldbench.js" clean >/dev/null 2>&1 || true
    for pid in $(pgrep -u "$PROOF_USER" || true); do kill "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in $(pgrep -u "$PROOF_USER" || true); do kill -9 "$pid" 2>/dev/null || true; done
    userdel -r "$PROOF_USER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "creating user $PROOF_USER (group docker, no sudo)"
useradd --create-home --shell /bin/bash --user-group --groups docker --comment "coldbench non-root proof" "$PROOF_USER"
HOME_DIR=$(getent passwd "$PROOF_USER" | cut -d: -f6)
chmod 755 "$WORK"

say "cloning $(git rev-parse --short HEAD) into $WORK/coldbench"
git clone --quiet --no-local "$ROOT" "$WORK/coldbench"
git -C "$WORK/coldbench" checkout --quiet "$(git rev-parse HEAD)"
chown -R "$PROOF_USER:$PROOF_USER" "$WORK/coldbench"

# What actions/setup-node's npm cache restores.
if [ -d "$HOME/.npm/_cacache" ]; then
  mkdir -p "$HOME_DIR/.npm" && cp -a "$HOME/.npm/_cacache" "$HOME_DIR/.npm/"
fi
# What the workflow's wasmtime cache restores, under the key build-wasmtime.sh checks: the host's
# stamp (its sources' hash) must be the clone's, and the CLI's folder carries its version.
stamp=$(cd "$WORK/coldbench" && cat hosts/wasmtime/Cargo.toml hosts/wasmtime/Cargo.lock hosts/wasmtime/src/*.rs | sha256sum | cut -c1-16)
version=$(bash "$WORK/coldbench/scripts/build-wasmtime.sh" version)
cache=$HOME_DIR/.cache/coldbench
mkdir -p "$cache/bin"
if [ "$(cat "$SEED/bin/coldbench-wasmtime-host.stamp" 2>/dev/null)" = "$stamp" ]; then
  cp -a "$SEED/bin/coldbench-wasmtime-host" "$SEED/bin/coldbench-wasmtime-host.stamp" "$cache/bin/"
  say "seeded the wasmtime host (stamp $stamp)"
else
  say "no wasmtime host built from these sources in $SEED (stamp $stamp): the user's set-up must build it"
fi
if [ -x "$SEED/wasmtime-cli-$version/bin/wasmtime" ]; then
  cp -a "$SEED/wasmtime-cli-$version" "$cache/"
  say "seeded wasmtime-cli $version"
fi
chown -R "$PROOF_USER:$PROOF_USER" "$HOME_DIR"

# As the user, with a login's environment and nothing of root's (no /root/.cargo on PATH).
# setsid: one process group, killed whole by cleanup().
as_user() {
  setsid runuser -u "$PROOF_USER" -- env -i HOME="$HOME_DIR" USER="$PROOF_USER" LOGNAME="$PROOF_USER" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ${CI:+CI=$CI} \
    bash -c "cd '$WORK/coldbench' && $1" &
  RUNNER_PID=$!
  wait "$RUNNER_PID"
}

say "as $PROOF_USER: npm ci, then the set-up"
as_user 'id && npm ci --prefer-offline --no-audit --no-fund --loglevel=error && bash scripts/setup.sh' >"$WORK/setup.log" 2>&1 ||
  { cat "$WORK/setup.log"; die "npm ci or the set-up failed as $PROOF_USER"; }
cat "$WORK/setup.log"
grep -q "Docker engine answers" "$WORK/setup.log" || die "the set-up did not find the Docker engine as $PROOF_USER"

say "as $PROOF_USER: the quick scenario ($ITERATIONS iterations)"
as_user "node bin/coldbench.js run scenarios/quick.yaml --iterations $ITERATIONS --out results/quick && node scripts/check-measured.mjs results/quick/*.json"

say "as $PROOF_USER: a two-tenant docker density ramp (root's memory: skipped with the reason)"
as_user 'node bin/coldbench.js run scenarios/density.yaml --runtimes docker --max-tenants 2 --out results/density && node scripts/check-measured.mjs results/density/*.json'
node - "$WORK"/coldbench/results/density/*.json <<'NODE'
const result = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const memory = result.samples.filter((s) => s.runtime === 'docker' && s.metric === 'memory-per-tenant');
const methods = new Set(memory.map((s) => s.method));
const skipped = result.warnings.filter((w) => w.kind === 'reading-skipped');
const fail = (m) => { console.error(`prove-nonroot: density: ${m}`); process.exit(1); };
if (!methods.has('cgroup') || !memory.some((s) => s.method === 'cgroup' && s.value > 0)) fail('no cgroup memory per tenant above zero');
for (const method of ['shim-pss', 'workload-pss', 'engine-pss-growth']) {
  if (methods.has(method)) fail(`${method} was recorded, but root's processes are unreadable to this user`);
}
for (const method of ['shim-pss', 'workload-pss', 'engine-pss']) {
  const warning = skipped.find((w) => w.message.includes(`memory method ${method} skipped`));
  if (!warning || !/needs root or CAP_SYS_PTRACE/.test(warning.message)) fail(`no reading-skipped warning with its reason for ${method}`);
}
console.log(`prove-nonroot: density: ${[...methods].join(', ')} recorded; ${skipped.length} methods skipped with the reason, e.g. "${skipped[0].message}"`);
NODE
say "proven: set-up, quick scenario (every runtime measured) and density ran as $PROOF_USER"
