#!/usr/bin/env bash
# Installs componentize-py (builds Python workloads into wasi:http/proxy components), pinned, from
# PyPI into a venv in the cache outside the clone, on Debian's python3 (not a pyenv one on PATH:
# the Python processes and images run /usr/bin/python3 too). Idempotent: an installed venv of the
# pinned version is kept. Installs python3 and python3-venv with apt when missing (as root or
# through `sudo -n`, like the rest of the set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/as-root.sh

# The one place the version is pinned (src/workloads/python-toolchain.ts reads it from this line).
COMPONENTIZE_PY_VERSION=0.25.1
CACHE=${COLDBENCH_CACHE:-$HOME/.cache/coldbench}
VENV="$CACHE/componentize-py-$COMPONENTIZE_PY_VERSION"
PYTHON=/usr/bin/python3

say() { echo "componentize-py: $*"; }

if [ -x "$VENV/bin/componentize-py" ] && "$VENV/bin/componentize-py" --version 2>/dev/null | grep -q "$COMPONENTIZE_PY_VERSION"; then
  say "present ($VENV)"
  exit 0
fi
if [ ! -x "$PYTHON" ] || ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  can_be_root || { say "Debian's python3 and python3-venv are missing: sudo apt-get install -y python3 python3-venv"; exit 1; }
  say "installing python3 python3-venv with apt"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv >/dev/null
fi
say "installing componentize-py $COMPONENTIZE_PY_VERSION from PyPI into $VENV"
# A half-made venv fails the version check above and is made again.
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "componentize-py==$COMPONENTIZE_PY_VERSION"
say "installed ($("$VENV/bin/componentize-py" --version))"
