#!/usr/bin/env bash
# Raises the kernel limits that stop a density ramp before memory does, so that the ramps of
# scenarios/density-max.yaml end at a real limit of the machine: kernel.pid_max and
# kernel.threads-max (each container costs about 13 threads), vm.max_map_count (every Wasm
# instance maps memory), fs.file-max and fs.nr_open (open files). Opt-in, never run by a plain
# `setup.sh`: `bash scripts/setup.sh --tune-limits` or `bash scripts/tune-limits.sh`. It prints
# each value it changes (old -> new) and never lowers one. The change lasts until the next boot.
set -euo pipefail

say() { echo "tune-limits: $*"; }
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/as-root.sh
. scripts/lib/as-root.sh

# name=value: the documented values (kernel.pid_max's maximum on 64-bit; the others generous).
WANTED=(
  kernel.pid_max=4194304
  kernel.threads-max=4194304
  vm.max_map_count=1048576
  fs.file-max=4194304
  fs.nr_open=1048576
)

if ! can_be_root; then
  say "needs root (or password-less sudo) to change kernel limits; run these yourself:"
  for pair in "${WANTED[@]}"; do echo "  sudo sysctl -w $pair"; done
  exit 1
fi

changed=0
for pair in "${WANTED[@]}"; do
  name=${pair%%=*} want=${pair#*=}
  have=$(sysctl -n "$name")
  if [ "$have" -ge "$want" ]; then
    say "$name is $have (at least $want): unchanged"
    continue
  fi
  as_root sysctl -qw "$name=$want"
  say "$name: $have -> $want"
  changed=$((changed + 1))
done
say "$changed kernel limit(s) raised until the next boot"

# A process's open-files limit is its own: the shell that runs coldbench raises it itself.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 1048576 ]; then
  say "this shell's open-files limit is $(ulimit -Sn) (hard $hard); before a density run: ulimit -n 1048576 (as root) or raise nofile in /etc/security/limits.conf"
fi
