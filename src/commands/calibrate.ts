// `coldbench calibrate`: the load client's own ceiling on this machine. autocannon (the project's
// closed-model client) and wrk run side by side, interleaved, against two servers: the Node null
// server and a server faster than either client, the C HTTP front of the hello-c workload. With
// two or more CPUs the server is pinned to CPU 0 and the clients to CPU 1, so that they do not
// compete. Then the same against Wasm tenants (calibrate-wasm.ts). Where autocannon reaches much
// less than wrk against the fast server, autocannon is the ceiling, and a load test near that
// figure measured the client, not the server.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import { probeFirstResponse } from '../measure/probe.js';
import { wrkAvailable } from '../measure/wrk.js';
import { NULL_SERVER_MAIN } from '../paths.js';
import { nodeScript, pinnedTo, startChild, stopChild } from '../runtimes/child.js';
import { allocatePort, releasePort } from '../runtimes/ports.js';
import { buildWorkload } from '../workloads/build.js';
import { loadWorkload } from '../workloads/catalog.js';
import { type ClientComparison, type ClientMedians, ceilingVerdict, compareClients } from './calibrate-clients.js';
import { calibrateProber } from './calibrate-prober.js';
import { calibrateWasmTenants } from './calibrate-wasm.js';

interface Server {
  name: string;
  command: (port: number) => string[];
  env: Record<string, string>;
  path: string;
  body: string;
}

export async function calibrateCommand(options: { duration?: string; connections?: string; rounds?: string; only?: string; probes?: string }): Promise<number> {
  if (options.only !== undefined && options.only !== 'prober' && options.only !== 'load')
    throw new UserError(`--only: expected prober or load, got "${options.only}"`);
  const probes = Number(options.probes ?? 20);
  if (!(Number.isInteger(probes) && probes >= 1 && probes <= 1000))
    throw new UserError(`--probes: expected a whole number from 1 to 1000, got "${options.probes}"`);
  const durationSec = Number(options.duration ?? 5);
  const connections = Number(options.connections ?? 10);
  const rounds = Number(options.rounds ?? 3);
  if (!(durationSec >= 1 && durationSec <= 600)) throw new UserError(`--duration: expected seconds between 1 and 600, got "${options.duration}"`);
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 10000))
    throw new UserError(`--connections: expected a whole number from 1 to 10000, got "${options.connections}"`);
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 100))
    throw new UserError(`--rounds: expected a whole number from 1 to 100, got "${options.rounds}"`);
  // Every option is checked before anything runs.
  if (options.only !== 'load') await calibrateProber(probes);
  if (options.only === 'prober') return 0;
  const pinned = availableParallelism() >= 2;
  const [serverCpus, clientCpus] = pinned ? ['0', '1'] : [undefined, undefined];
  const wrk = await wrkAvailable();
  if (!wrk) console.log('wrk: not installed (bash scripts/setup.sh installs it); autocannon only');

  const helloC = await loadWorkload('hello-c');
  const fast = (await buildWorkload(helloC, new Set(['server-app']))).serverApp!;
  const servers: Server[] = [
    { name: 'Node null server', command: (port) => nodeScript(NULL_SERVER_MAIN, '--port', String(port)), env: {}, path: '/', body: 'ok\n' },
    {
      name: 'C HTTP front (hello-c)',
      command: () => fast.command,
      env: { HOST: '127.0.0.1' },
      path: helloC.requests[0]!.path,
      body: helloC.requests[0]!.expect.body,
    },
  ];
  const runId = `calibrate-${randomBytes(2).toString('hex')}`;
  console.log(`${rounds} round(s) of ${durationSec} s, ${connections} connections, clients interleaved${pinned ? '; server on CPU 0, clients on CPU 1' : ''}`);
  const comparison: ClientComparison = { durationSec, connections, rounds, wrk, clientCpus, runId };
  const ceilings: Record<string, ClientMedians> = {};
  for (const server of servers) {
    const port = await allocatePort();
    const { child } = await startChild(runId, pinnedTo(serverCpus, server.command(port)), { ...server.env, PORT: String(port) });
    try {
      const url = `http://127.0.0.1:${port}${server.path}`;
      await probeFirstResponse(`http://127.0.0.1:${port}`, { path: server.path, method: 'GET', expect: { status: 200, body: server.body } }, 10000);
      ceilings[server.name] = await compareClients(server.name, url, comparison);
    } finally {
      await stopChild(child);
      releasePort(port);
    }
  }
  const verdicts = [ceilingVerdict('C HTTP front (hello-c)', ceilings['C HTTP front (hello-c)']!)];
  verdicts.push(...(await calibrateWasmTenants({ ...comparison, serverCpus })));
  for (const verdict of verdicts) if (verdict) console.log(verdict);
  return 0;
}
