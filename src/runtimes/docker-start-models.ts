// How a container tenant is started, measured as variants:
// - create: create + start inside the measured window (docker run's path);
// - pre-created: created before the window; the cold start is start -> first expected response
//   (a platform that keeps a pool of stopped containers);
// - restore: started, answering, then checkpointed with CRIU before the window; the cold start is
//   restore -> first expected response (docker's experimental checkpoint/restore).
// Work done before the window is recorded as phases marked `ahead`, outside the cold start's total.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { httpRequest } from '../http-client.js';
import type { Availability, Check, PhaseTiming } from './types.js';

const run = promisify(execFile);

export const START_MODELS = ['create', 'pre-created', 'restore'] as const;
export type StartModel = (typeof START_MODELS)[number];
export const DEFAULT_START_MODEL: StartModel = 'create';

const CHECKPOINT = 'coldbench';

/** How an engine checkpoints a running container (stopping it) and restores it. */
export interface Checkpoints {
  checkpoint(container: Docker.Container): Promise<unknown>;
  restore(container: Docker.Container): Promise<unknown>;
}

/** dockerd's experimental checkpoints. */
export const DOCKER_CHECKPOINTS: Checkpoints = {
  // dockerode has the call but not its type.
  checkpoint: (c) => (c as unknown as { createCheckpoint(o: object): Promise<unknown> }).createCheckpoint({ CheckpointID: CHECKPOINT, Exit: true }),
  // The engine's `checkpoint` query parameter, which dockerode passes on but does not type.
  restore: (c) => c.start({ checkpoint: CHECKPOINT } as Docker.ContainerStartOptions),
};

/** The first line of `criu check` that says what is wrong, or undefined when it passes. Asked once per process. */
let criuProblem: Promise<string | undefined> | undefined;
export function criuCheck(): Promise<string | undefined> {
  criuProblem ??= run('criu', ['check'], { timeout: 30_000 }).then(
    () => undefined,
    (error: { code?: string; stderr?: string; message: string }) => {
      if (error.code === 'ENOENT') return 'criu is not installed';
      const lines = (error.stderr ?? '').split('\n').filter((l) => l.trim());
      return (lines.find((l) => /^Error/.test(l)) ?? lines[0] ?? error.message).trim();
    },
  );
  return criuProblem;
}

/** Whether a start model can run on this engine and kernel; only restore has requirements. */
export async function startModelAvailability(engine: Docker, model: StartModel): Promise<Availability> {
  if (model !== 'restore') return { available: true };
  const problem = await criuCheck();
  if (problem) {
    return {
      available: false,
      reason: `CRIU cannot checkpoint on this kernel: \`criu check\` fails with "${problem}"`,
      fix: "a kernel and CRIU version where `criu check` passes (apt-get install criu; CRIU 3.17 fails on some recent kernels), then `bash scripts/setup.sh` enables dockerd's experimental checkpoints",
    };
  }
  const info = (await engine.info()) as { ExperimentalBuild?: boolean };
  if (!info.ExperimentalBuild) {
    return {
      available: false,
      reason: "the Docker engine's checkpoints are experimental and not enabled",
      fix: '`bash scripts/setup.sh` (sets "experimental": true in /etc/docker/daemon.json when `criu check` passes, and restarts dockerd when no run has tenants up)',
    };
  }
  return { available: true };
}

/** Waits until the container's server answers `path` with a 2xx (restore checkpoints a server that is up). */
async function untilServing(baseUrl: string, path: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = await httpRequest(new URL(path, baseUrl), { timeoutMs: 1000 }).then(
      (r) => r.status,
      () => 0,
    );
    if (status >= 200 && status < 300) return;
    if (performance.now() > deadline) throw new Error(`the container to checkpoint did not answer ${path} within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * Makes a created container ready for the model's measured step, timing what it does. `ahead`:
 * done before the measured window (the phases say so). Restore starts it, waits for an answer on
 * `path` and checkpoints it (CRIU stops it).
 */
export async function stage(
  model: StartModel,
  container: Docker.Container,
  createMs: number,
  ahead: boolean,
  serving: { baseUrl: string; path: string; timeoutMs: number },
  checkpoints: Checkpoints = DOCKER_CHECKPOINTS,
): Promise<PhaseTiming[]> {
  const phases: PhaseTiming[] = [{ phase: 'create', ms: createMs, ...(ahead ? { ahead } : {}) }];
  if (model !== 'restore') return phases;
  await container.start();
  await untilServing(serving.baseUrl, serving.path, serving.timeoutMs);
  const started = performance.now();
  await checkpoints.checkpoint(container);
  phases.push({ phase: 'checkpoint', ms: performance.now() - started, ...(ahead ? { ahead } : {}) });
  return phases;
}

/** The measured step: start a created container, or restore a checkpointed one. */
export async function begin(model: StartModel, container: Docker.Container, checkpoints: Checkpoints = DOCKER_CHECKPOINTS): Promise<PhaseTiming> {
  const started = performance.now();
  await (model === 'restore' ? checkpoints.restore(container) : container.start());
  return { phase: model === 'restore' ? 'restore' : 'start', ms: performance.now() - started };
}

/** `doctor`'s line for the restore start model: whether CRIU and the engine can checkpoint here. */
export async function checkpointCheck(engine: Docker): Promise<Check> {
  const availability = await startModelAvailability(engine, 'restore');
  return availability.available
    ? { name: 'docker restore', ok: true, detail: '`criu check` passes and the engine has experimental checkpoints' }
    : { name: 'docker restore', ok: false, detail: availability.reason, fix: availability.fix };
}
