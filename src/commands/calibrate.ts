// `coldbench calibrate`: the load client's own ceiling on this machine, against the null server
// (a trivial server in the repo), and against wrk when it is installed. A runtime that reaches
// this figure in a load test measured the client, not the server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { NULL_SERVER_MAIN } from '../paths.js';
import { allocatePort, releasePort } from '../runtimes/ports.js';
import { nodeScript, startChild, stopChild } from '../runtimes/child.js';
import { probeFirstResponse } from '../measure/probe.js';
import { runLoadPass } from '../measure/load-client.js';
import { UserError } from '../errors.js';
import { formatNumber } from '../format.js';

const run = promisify(execFile);

export async function calibrateCommand(options: { duration?: string; connections?: string }): Promise<number> {
  const durationSec = Number(options.duration ?? 5);
  const connections = Number(options.connections ?? 10);
  if (!(durationSec >= 1 && durationSec <= 600)) throw new UserError(`--duration: expected seconds between 1 and 600, got "${options.duration}"`);
  if (!(Number.isInteger(connections) && connections >= 1)) throw new UserError(`--connections: expected a whole number of at least 1, got "${options.connections}"`);

  const port = await allocatePort();
  const { child } = await startChild(`calibrate-${randomBytes(2).toString('hex')}`, nodeScript(NULL_SERVER_MAIN, '--port', String(port)), {});
  try {
    const url = `http://127.0.0.1:${port}/`;
    await probeFirstResponse(`http://127.0.0.1:${port}`, { path: '/', method: 'GET', expect: { status: 200, body: 'ok\n' } }, 10000);
    const pass = await runLoadPass({ urls: [url], method: 'GET', connections, pipelining: 1, durationSec, timeoutMs: 10000 });
    console.log(`autocannon (closed, ${connections} connections, ${durationSec} s): ${formatNumber(pass.requestsPerSec)} req/s, client ${formatNumber(pass.clientCpuSec / pass.durationSec)} cores, p99 ${pass.latencyMs.p99} ms`);
    const wrk = await wrkRequestsPerSec(url, connections, durationSec);
    console.log(wrk === undefined ? 'wrk: not installed (apt-get install wrk), skipped' : `wrk (1 thread, ${connections} connections, ${durationSec} s): ${formatNumber(wrk)} req/s`);
    console.log('Both servers and clients share this machine\'s CPUs: a load test near these figures measured the client.');
  } finally {
    await stopChild(child);
    releasePort(port);
  }
  return 0;
}

async function wrkRequestsPerSec(url: string, connections: number, durationSec: number): Promise<number | undefined> {
  try {
    await run('which', ['wrk']);
  } catch {
    return undefined;
  }
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${durationSec}s`, url]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  return match ? Number(match[1]) : undefined;
}
