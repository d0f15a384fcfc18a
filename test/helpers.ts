// Shared by tests: paths, running the real CLI, and looking for what a run left behind.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import type { MeasureContext } from '../src/measure/types.js';
import type { DensityRamp, LatencyHistogram, Sample } from '../src/results/types.js';
import { dockerClient } from '../src/runtimes/docker-client.js';
import { findMarkedProcesses } from '../src/runtimes/process-marker.js';
import { runtimeDescriptor, runtimeNames } from '../src/runtimes/registry.js';
import { artifactKinds, availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { parseScenario } from '../src/scenario/load.js';
import { liveHost } from '../src/sys/host.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { buildWorkload } from '../src/workloads/build.js';
import { loadWorkload } from '../src/workloads/catalog.js';
import { testable } from './availability.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'bin', 'coldbench.js');

export async function tempDir(prefix = 'coldbench-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeScenario(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI; `onStdout` may act on output as it arrives (e.g. send SIGINT mid-run). */
export function runCli(
  args: string[],
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function containersOfRun(runId: string): Promise<number> {
  if (!(await runtimeAvailable('docker'))) return 0;
  const list = await (await dockerClient()).listContainers({ all: true, filters: { label: [`coldbench.run=${runId}`] } });
  return list.length;
}

export async function processesOfRun(runId: string): Promise<number> {
  return (await findMarkedProcesses()).filter((p) => p.runId === runId).length;
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

/** Whether a runtime works on this machine: tests of an unavailable runtime skip, or fail where it is required (test/availability.ts). */
export async function runtimeAvailable(name: string): Promise<boolean> {
  return testable(name, await runtimeDescriptor(name).available());
}

/** The real runtimes (not the tests-only fake) that are available here. */
export async function availableRuntimeNames(): Promise<string[]> {
  const names: string[] = [];
  for (const name of runtimeNames().filter((n) => n !== 'fake')) if (await runtimeAvailable(name)) names.push(name);
  return names;
}

/** Drivers of the given runtimes (default settings unless given), one per variant. */
export async function driversFor(names: string[], runId: string, settings: Record<string, unknown> = {}): Promise<RuntimeDriver[]> {
  return (await availableDrivers(names, { runId }, settings, () => {})).drivers;
}

/** A workload built for the given runtimes. */
export async function artifactsFor(workload: string, runtimes: string[]) {
  return buildWorkload(await loadWorkload(workload), artifactKinds(runtimes));
}

/** A measurement context that collects what it is given. */
export function collectingContext<O>(options: O, artifacts: WorkloadArtifacts, drivers: RuntimeDriver[]) {
  const samples: Sample[] = [];
  const ramps: DensityRamp[] = [];
  const histograms: LatencyHistogram[] = [];
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
    onProgress: () => {},
    host: liveHost,
  };
  return { context, samples, ramps, histograms };
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
