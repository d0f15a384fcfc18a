// Starts a run's reaper (reaper-main.ts). The harness holds the write end of the reaper's stdin and
// never waits for it: the reaper neither keeps the harness alive nor receives its terminal's signals.
// It sweeps after every run, also one that ended cleanly (it then finds nothing; one `docker ps`).
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { markerEnv } from './process-marker.js';

const REAPER_MAIN = join(PROJECT_ROOT, 'dist', 'runtimes', 'reaper-main.js');

export function startReaper(runId: string): void {
  const reaper = spawn(process.execPath, [REAPER_MAIN, runId], {
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
    env: { ...process.env, ...markerEnv(runId) },
  });
  reaper.on('error', () => undefined); // without a reaper, `clean` and the next run still sweep
  reaper.unref();
  (reaper.stdin as Socket).unref();
}
