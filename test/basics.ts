// Shared by every test, unit tier included: paths, temporary files, a server that answers "hi", a
// measurement context that collects, scenario errors. Nothing here needs the set-up (no engine,
// no runtime, no build, no compiled CLI); what does is in helpers.ts.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import type { MeasureContext } from '../src/measure/types.js';
import type { DensityRamp, LatencyHistogram, Sample, Warning } from '../src/results/types.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { parseScenario } from '../src/scenario/load.js';
import { liveHost } from '../src/sys/host.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A valid scenario that validation tests break one field at a time. */
export const GOOD_SCENARIO = `name: t
workloads: [hello]
runtimes: [docker, wasm, process]
measurements:
  coldstart:
    iterations: 3
`;

export async function tempDir(prefix = 'coldbench-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeScenario(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

/** A server on 127.0.0.1 that answers "hi\n", and a fake workload that expects exactly that. */
export async function startHiServer(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((_req, res) => res.end('hi\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export const HI_ARTIFACTS = {
  workload: { name: 'w', language: 'js', handler: 'h.js', dir: '/nowhere', requests: [{ path: '/', method: 'GET', expect: { status: 200, body: 'hi\n' } }] },
} as WorkloadArtifacts;

/** A measurement context that collects what it is given. */
export function collectingContext<O>(options: O, artifacts: WorkloadArtifacts, drivers: RuntimeDriver[]) {
  const samples: Sample[] = [];
  const ramps: DensityRamp[] = [];
  const histograms: LatencyHistogram[] = [];
  const warnings: Warning[] = [];
  const context: MeasureContext<O> = {
    scenario: 's',
    runId: 'test',
    artifacts,
    drivers,
    options,
    signal: new AbortController().signal,
    onSamples: async (s) => void samples.push(...s),
    onRamp: async (r) => void (ramps.includes(r) || ramps.push(r)),
    onHistogram: async (h) => void histograms.push(h),
    onWarning: async (w) => void warnings.push(w),
    onProgress: () => {},
    host: liveHost,
  };
  return { context, samples, ramps, histograms, warnings };
}

/** The one-line error a scenario text gets from validation (as file "s.yaml"); fails when it is accepted. */
export function scenarioError(text: string): string {
  try {
    parseScenario('s.yaml', text);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error.message;
  }
  throw new Error('expected a validation error');
}

/** Cold-start settings for runner tests: no warm-up, one probe of the floor and of the detection error; `overrides` on top. */
export function coldStartOptions<Overrides extends object = object>(iterations: number, overrides?: Overrides) {
  const base = {
    iterations,
    warmup: 0,
    timeoutMs: 300,
    probeFloorSamples: 1,
    prober: 'native',
    proberWait: 'listen',
    probeDetectionSamples: 1,
    probeDetectionDelayMs: 5,
  } as const;
  return { ...base, ...(overrides as Overrides) };
}
