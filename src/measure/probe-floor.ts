// Measures the prober's floor against the null server, in a child process of its own.
import { NULL_SERVER_MAIN } from '../paths.js';
import { allocatePort, releasePort } from '../runtimes/ports.js';
import { nodeScript, startChild, stopChild } from '../runtimes/child.js';
import { probeFirstResponse } from './probe.js';

export async function measureProbeFloor(runId: string, samples: number, signal?: AbortSignal): Promise<number[]> {
  const port = await allocatePort();
  const { child } = await startChild(runId, nodeScript(NULL_SERVER_MAIN, '--port', String(port)), {});
  try {
    const expected = { path: '/', method: 'GET' as const, expect: { status: 200, body: 'ok\n' } };
    const baseUrl = `http://127.0.0.1:${port}`;
    await probeFirstResponse(baseUrl, expected, 10000, signal); // wait until it listens; not a sample
    const values: number[] = [];
    for (let i = 0; i < samples; i++) values.push((await probeFirstResponse(baseUrl, expected, 10000, signal)).ms);
    return values;
  } finally {
    await stopChild(child);
    releasePort(port);
  }
}
