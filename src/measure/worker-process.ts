// One measurement step in a Node process of its own (the load worker, the micro worker): its input
// as JSON in argv, its answer as JSON on stdout. It carries the run marker, stops at once when
// `signal` aborts, and its failure is one line with the end of its stderr.
import { execFile } from 'node:child_process';
import { pinnedTo } from '../runtimes/child.js';
import { markerEnv } from '../runtimes/process-marker.js';

export interface WorkerProcessOptions {
  /** Named in the error when it fails, e.g. "load worker". */
  what: string;
  timeoutMs: number;
  signal?: AbortSignal;
  runId?: string;
  /** CPUs to pin it to (taskset list). */
  cpus?: string;
  /** Options for node itself, before the script. */
  nodeArgs?: string[];
}

export function runWorkerProcess<T>(script: string, input: unknown, options: WorkerProcessOptions): Promise<T> {
  const [file, ...args] = pinnedTo(options.cpus, [process.execPath, ...(options.nodeArgs ?? []), script, JSON.stringify(input)]);
  const { signal } = options;
  return new Promise((resolve, reject) => {
    execFile(
      file!,
      args,
      { timeout: options.timeoutMs, maxBuffer: 1 << 20, signal, env: { ...process.env, ...(options.runId ? markerEnv(options.runId) : {}) } },
      (error, stdout, stderr) => {
        if (error && signal?.aborted) reject(signal.reason as Error);
        else if (error) reject(new Error(`${options.what} failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || error.message}`));
        else resolve(JSON.parse(stdout) as T);
      },
    );
  });
}
