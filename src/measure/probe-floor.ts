// Measures the prober's floor: probes of a null server that is already listening, each in a
// process of its own. The native prober is measured against the native null server (a prebuilt
// answer, at once), Node's client against the Node null server.
import { median } from 'simple-statistics';
import { NULL_SERVER_MAIN } from '../paths.js';
import { nodeScript, startChild, stopChild, waitForOutput } from '../runtimes/child.js';
import { allocatePort, releasePort } from '../runtimes/ports.js';
import { nativeProberBinary, type ProberKind, startProber } from './native-prober.js';

const floors = new Map<string, number>();

/** The median floor measured for a run (0 before it was): what a cold start's `harness` phase leaves out. */
export function runFloorMs(runId: string): number {
  return floors.get(runId) ?? 0;
}

export async function measureProbeFloor(runId: string, samples: number, kind: ProberKind, signal?: AbortSignal): Promise<number[]> {
  const port = await allocatePort();
  const server = kind === 'native' ? [await nativeProberBinary(), 'serve', String(port)] : nodeScript(NULL_SERVER_MAIN, '--port', String(port));
  const { child } = await startChild(runId, server, {});
  const ready = waitForOutput(child, 'coldbench-null-server ready', 'the null server'); // listen before the line can pass
  const prober = await startProber(kind, runId).catch(async (error: Error) => {
    await stopChild(child);
    releasePort(port);
    throw error;
  });
  try {
    await ready;
    const expected = { path: '/', method: 'GET' as const, expect: { status: 200, body: 'ok\n' } };
    const baseUrl = `http://127.0.0.1:${port}`;
    await prober.probe(baseUrl, expected, 10000, signal); // a first probe warms both sides; not a sample
    const values: number[] = [];
    for (let i = 0; i < samples; i++) values.push((await prober.probe(baseUrl, expected, 10000, signal)).ms);
    floors.set(runId, median(values));
    return values;
  } finally {
    await prober.close();
    await stopChild(child);
    releasePort(port);
  }
}
