// An engine socket this user may not open (EACCES) is not an engine that is down: the fix is the
// socket's group (docker), not root and not starting another engine.
import { userInfo } from 'node:os';
import type { Availability } from './types.js';

export function socketDenied(error: unknown, socket: string): Extract<Availability, { available: false }> | undefined {
  if ((error as NodeJS.ErrnoException).code !== 'EACCES') return undefined;
  const user = userInfo().username;
  return {
    available: false,
    reason: `${user} may not use ${socket} (permission denied)`,
    fix: `add yourself to the socket's group: \`sudo usermod -aG docker ${user}\`, then \`newgrp docker\` (or log in again)`,
  };
}
