// An engine socket this user may not open (EACCES) is not an engine that is down: the fix is the
// socket's group (docker), not root and not starting another engine.
import { userInfo } from 'node:os';
import type { Availability } from './types.js';

export function socketDenied(error: unknown, socket: string, engine: 'docker' | 'podman'): Extract<Availability, { available: false }> | undefined {
  if ((error as NodeJS.ErrnoException).code !== 'EACCES') return undefined;
  const user = userInfo().username;
  return {
    available: false,
    reason: `${user} may not use ${socket} (permission denied)`,
    fix:
      engine === 'docker'
        ? `add yourself to the docker group: \`sudo usermod -aG docker ${user}\`, then \`newgrp docker\` (or log in again)`
        : // podman's rootful socket is root's alone (mode 600); rootless podman is another engine.
          `podman's rootful socket is root's alone: run coldbench as root to measure podman, or \`sudo chgrp docker ${socket} && sudo chmod 660 ${socket}\``,
  };
}
