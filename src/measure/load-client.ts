// Runs one load pass in the load worker's own process, optionally pinned to given CPUs.
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';
import { runWorkerProcess } from './worker-process.js';

const WORKER = join(PROJECT_ROOT, 'dist', 'measure', 'load-worker.js');

export interface LoadWorkerOptions {
  /** CPUs to pin the worker to (taskset list). */
  cpus?: string;
  /** Stops the worker at once (Ctrl-C). */
  signal?: AbortSignal;
  /** The run it belongs to: the worker carries the run marker, so `clean` can find it. */
  runId?: string;
}

/** Runs one pass in the load worker's own process. */
export function runLoadPass(config: LoadPassConfig, { cpus, signal, runId }: LoadWorkerOptions = {}): Promise<LoadPass> {
  return runWorkerProcess<LoadPass>(WORKER, config, { what: 'load worker', timeoutMs: (config.durationSec + 60) * 1000, cpus, signal, runId });
}
