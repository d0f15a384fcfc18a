// Runs one load pass in the load worker's own process, optionally pinned to given CPUs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';

const WORKER = join(PROJECT_ROOT, 'dist', 'measure', 'load-worker.js');

export function runLoadPass(config: LoadPassConfig, cpus?: string): Promise<LoadPass> {
  const command = cpus ? ['taskset', '-c', cpus, process.execPath] : [process.execPath];
  return new Promise((resolve, reject) => {
    execFile(command[0]!, [...command.slice(1), WORKER, JSON.stringify(config)], { timeout: (config.durationSec + 60) * 1000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`load worker failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || error.message}`));
        else resolve(JSON.parse(stdout) as LoadPass);
      });
  });
}
