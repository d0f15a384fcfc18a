// Assigns loopback ports for tenants. Ports come from below 32768, outside Linux's ephemeral range,
// so they never collide with the harness's own outgoing connections.
import { createServer } from 'node:net';

const LOW = 20000;
const HIGH = 32000;
const taken = new Set<number>();
/** How many tenant ports there are: a density ramp of port-per-tenant runtimes stops here. */
export const TENANT_PORTS = HIGH - LOW;

export async function allocatePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port)) continue;
    if (await isFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} on 127.0.0.1`);
}

export function releasePort(port: number): void {
  taken.delete(port);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // Check the wildcard address: a container on the host network binds 0.0.0.0.
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
