// Measures the prober's floor: probes of a null server that is already listening, each in a
// process of its own. The native prober is measured against the native null server (a prebuilt
// answer, at once), Node's client against the Node null server.
import { NULL_SERVER_MAIN } from '../paths.js';
import { nodeScript, startChild, stopChild, waitForOutput } from '../runtimes/child.js';
import { allocatePort, releasePort } from '../runtimes/ports.js';
import type { WorkloadRequest } from '../workloads/catalog.js';
import { nativeProberBinary, type Prober, type ProberKind, startProber } from './native-prober.js';

/** A null server listening on 127.0.0.1: what a probe costs when the tenant answers at once. */
export interface NullServer {
  baseUrl: string;
  expected: WorkloadRequest;
  stop(): Promise<void>;
}

export async function startNullServer(runId: string, kind: ProberKind): Promise<NullServer> {
  const port = await allocatePort();
  const server = kind === 'native' ? [await nativeProberBinary(), 'serve', String(port)] : nodeScript(NULL_SERVER_MAIN, '--port', String(port));
  const { child } = await startChild(runId, server, {}).catch((error: Error) => {
    releasePort(port);
    throw error;
  });
  const stop = async () => {
    await stopChild(child);
    releasePort(port);
  };
  try {
    await waitForOutput(child, 'coldbench-null-server ready', 'the null server');
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, expected: { path: '/', method: 'GET', expect: { status: 200, body: 'ok\n' } }, stop };
}

/** One probe of the null server by `prober`: its floor at this moment. */
export async function probeFloorOnce(prober: Prober, server: NullServer, signal?: AbortSignal): Promise<number> {
  return (await prober.probe(server.baseUrl, server.expected, 10000, signal)).ms;
}

/** `samples` probes back to back, after one that warms both sides. */
export async function measureProbeFloor(runId: string, samples: number, kind: ProberKind, signal?: AbortSignal): Promise<number[]> {
  const server = await startNullServer(runId, kind);
  try {
    const prober = await startProber(kind, runId);
    try {
      await probeFloorOnce(prober, server, signal); // warms both sides; not a sample
      const values: number[] = [];
      for (let i = 0; i < samples; i++) values.push(await probeFloorOnce(prober, server, signal));
      return values;
    } finally {
      await prober.close();
    }
  } finally {
    await server.stop();
  }
}
