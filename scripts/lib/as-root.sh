# Sourced by the set-up scripts: run one command as root, and nothing else. As root it runs as is;
# otherwise through `sudo -n` (never a password prompt: CI and scripts cannot answer one); when
# neither works the caller prints the command for the user to run.

can_be_root() {
  [ "$(id -u)" = 0 ] && return 0
  # Asked once per script: `sudo -n true` succeeds only when no password is needed.
  if [ -z "${SUDO_WORKS:-}" ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO_WORKS=yes; else SUDO_WORKS=no; fi
  fi
  [ "$SUDO_WORKS" = yes ]
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif can_be_root; then
    sudo -n "$@"
  else
    return 1
  fi
}

# True where systemd is PID 1 (a desktop, GitHub's runners): services are started with systemctl there.
has_systemd() { [ -d /run/systemd/system ]; }
