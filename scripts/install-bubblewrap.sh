#!/usr/bin/env bash
# Installs bubblewrap (Debian's `bubblewrap`: the `bwrap` sandbox Flatpak uses) for the process
# runtime's sandbox (`process: { sandbox: [bubblewrap] }`), and checks that it can make the
# namespaces a sandboxed tenant runs in, as the unprivileged user that tenant runs as. Idempotent:
# it installs only when bwrap is missing, and needs root (or sudo) only for that.
set -euo pipefail

say() { echo "setup: $*"; }

if ! command -v bwrap >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    say "cannot install bubblewrap here (no apt-get); install your distribution's bubblewrap package"
    exit 1
  fi
  if [ "$(id -u)" = 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else
    say "bubblewrap is missing and installing it needs root: sudo apt-get install -y bubblewrap"
    exit 1
  fi
  say "installing bubblewrap"
  # The package lists are refreshed only when the package cannot be found without it.
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null 2>&1 ||
    { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null; }
fi

# The sandbox makes user, pid, ipc, uts and cgroup namespaces as an unprivileged user: root starts
# it as nobody, anyone else as themselves.
try=(bwrap --unshare-user --unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup-try --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin /bin/true)
if [ "$(id -u)" = 0 ]; then check=(setpriv --reuid=65534 --regid=65534 --clear-groups "${try[@]}"); else check=("${try[@]}"); fi
if "${check[@]}" 2>/tmp/coldbench-bwrap-check.$$; then
  say "bubblewrap present ($(bwrap --version)); it makes its namespaces as an unprivileged user"
  rm -f /tmp/coldbench-bwrap-check.$$
else
  say "bubblewrap cannot make its namespaces as an unprivileged user: $(cat /tmp/coldbench-bwrap-check.$$); enable unprivileged user namespaces (sysctl user.max_user_namespaces=10000; on Debian before 12 also kernel.unprivileged_userns_clone=1)"
  rm -f /tmp/coldbench-bwrap-check.$$
  exit 1
fi
