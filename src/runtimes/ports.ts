// Assigns loopback ports for tenants. Ports come from below 32768, outside Linux's ephemeral range,
// so they never collide with the harness's own outgoing connections. A port is reserved across
// processes with a lock file naming its owner's pid (created exclusively), so two coldbench runs
// on one machine never hand out the same port; a lock whose owner is gone is taken over. The locks
// live in a directory private to this user (private-dir.ts): a shared /tmp folder could be
// pre-created or filled by another local user.

import { open, readFile, unlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensurePrivateDir, privateStateRoot } from './private-dir.js';
import { isAlive } from './process-marker.js';

const LOW = 20000;
const HIGH = 32000;
const taken = new Set<number>();
/** How many tenant ports there are: a density ramp of port-per-tenant runtimes stops here. */
export const TENANT_PORTS = HIGH - LOW;
/** The lock directory (COLDBENCH_PORT_LOCKS overrides it; it must be private all the same). */
export const PORT_LOCKS = process.env.COLDBENCH_PORT_LOCKS ?? join(privateStateRoot(), 'ports');

let locksReady = false;

export async function allocatePort(): Promise<number> {
  if (!locksReady) {
    ensurePrivateDir(PORT_LOCKS);
    locksReady = true;
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port) || !(await reserve(port))) continue;
    if (await isFree(port)) {
      taken.add(port);
      return port;
    }
    await unlink(lockFile(port)).catch(() => {});
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} on 127.0.0.1`);
}

export function releasePort(port: number): void {
  if (taken.delete(port)) void unlink(lockFile(port)).catch(() => {});
}

const lockFile = (port: number) => join(PORT_LOCKS, String(port));

/** Creates the port's lock file, or takes over one whose owner process has exited. */
async function reserve(port: number): Promise<boolean> {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(lockFile(port), 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const text = await readFile(lockFile(port), 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile: try once more
      const owner = Number(text);
      // Empty: its owner is still writing it.
      if (text === '' || owner === process.pid || isAlive(owner)) return false;
      await unlink(lockFile(port)).catch(() => {});
    }
  }
  return false;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // Check the wildcard address: a container on the host network binds 0.0.0.0.
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
