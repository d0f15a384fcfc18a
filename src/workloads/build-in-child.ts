// Component builds run in a child process: componentize-js runs wizer with spawnSync, which blocks
// the event loop of the process it runs in (Ctrl-C during a build took 11-18 s). The child leads
// its own process group, so an abort ends it and wizer together at once; it carries the run marker.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { markerEnv } from '../runtimes/process-marker.js';
import { readMarker, type WasmComponent } from './artifacts.js';
import type { Workload } from './catalog.js';
import { componentDir } from './component-dir.js';

const BUILD_MAIN = join(PROJECT_ROOT, 'dist', 'workloads', 'build-component-main.js');

export async function buildComponentInChild(workload: Workload, signal?: AbortSignal, runId?: string): Promise<WasmComponent> {
  const cached = await readMarker<WasmComponent>((await componentDir(workload)).dir);
  if (cached) return cached; // found without starting a process or loading jco
  signal?.throwIfAborted();
  const child = spawn(process.execPath, [BUILD_MAIN, JSON.stringify(workload)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(runId ? markerEnv(runId) : {}) },
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL'); // the group: the build and the wizer it runs
    } catch {
      // already gone
    }
  };
  signal?.addEventListener('abort', stop, { once: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    signal?.throwIfAborted();
    if (code !== 0) throw new Error(stderr.trim().split('\n').at(-1) || `the component build exited with code ${code}`);
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as WasmComponent;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
