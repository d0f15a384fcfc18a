// Runs one load pass in the load worker's own process, optionally pinned to given CPUs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';
import { markerEnv } from '../runtimes/process-marker.js';

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
  const command = cpus ? ['taskset', '-c', cpus, process.execPath] : [process.execPath];
  return new Promise((resolve, reject) => {
    execFile(command[0]!, [...command.slice(1), WORKER, JSON.stringify(config)], { timeout: (config.durationSec + 60) * 1000, maxBuffer: 1 << 20, signal, env: { ...process.env, ...(runId ? markerEnv(runId) : {}) } },
      (error, stdout, stderr) => {
        if (error && signal?.aborted) reject(signal.reason as Error);
        else if (error) reject(new Error(`load worker failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || error.message}`));
        else resolve(JSON.parse(stdout) as LoadPass);
      });
  });
}
