// Shared by the integration tests: running the real CLI, the runtimes available here, and looking for
// what a run left behind. What needs no set-up is in basics.ts (re-exported here), for the unit tier.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CONTAINER_ENGINES } from '../src/runtimes/container-engines.js';
import { engineClient } from '../src/runtimes/docker-client.js';
import { findMarkedProcesses } from '../src/runtimes/process-marker.js';
import { runtimeDescriptor, runtimeNames } from '../src/runtimes/registry.js';
import { artifactKinds, availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { buildWorkload } from '../src/workloads/build.js';
import { loadWorkload } from '../src/workloads/catalog.js';
import { testable } from './availability.js';
import { ROOT } from './basics.js';

export { collectingContext, GOOD_SCENARIO, HI_ARTIFACTS, ROOT, scenarioError, startHiServer, tempDir, writeScenario } from './basics.js';

export const CLI = join(ROOT, 'bin', 'coldbench.js');

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

/** The containers a run left, on every engine that answers (docker, podman). */
export async function containersOfRun(runId: string): Promise<number> {
  let count = 0;
  for (const engine of CONTAINER_ENGINES) {
    if (!(await runtimeAvailable(engine.name))) continue;
    count += (await (await engineClient(engine)).listContainers({ all: true, filters: { label: [`coldbench.run=${runId}`] } })).length;
  }
  return count;
}

export async function processesOfRun(runId: string): Promise<number> {
  return (await findMarkedProcesses()).filter((p) => p.runId === runId).length;
}

/** Whether a runtime works on this machine: tests of an unavailable runtime skip, or fail where it is required (test/availability.ts). */
export async function runtimeAvailable(name: string): Promise<boolean> {
  return testable(name, await runtimeDescriptor(name).available());
}

/**
 * The real runtimes (not the tests-only fake) that are available here and deploy any workload;
 * with `withStageServices`, also those that deploy pipelines only (one service per stage).
 */
export async function availableRuntimeNames(options: { withStageServices?: boolean } = {}): Promise<string[]> {
  const names: string[] = [];
  for (const name of runtimeNames().filter((n) => n !== 'fake')) {
    if (runtimeDescriptor(name).stageServices && !options.withStageServices) continue;
    if (await runtimeAvailable(name)) names.push(name);
  }
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
