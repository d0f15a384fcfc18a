// Marks the processes coldbench starts so that `clean` (and the next run, after a crash) can find
// them: `--coldbench-run=<runId> --coldbench-owner=<harness pid>` on the command line, and
// COLDBENCH_RUN / COLDBENCH_OWNER in the environment (for programs that refuse unknown arguments).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { findProcesses } from '../sys/proc.js';

export function markerArgs(runId: string): string[] {
  return [`--coldbench-run=${runId}`, `--coldbench-owner=${process.pid}`];
}

export function markerEnv(runId: string): Record<string, string> {
  return { COLDBENCH_RUN: runId, COLDBENCH_OWNER: String(process.pid) };
}

async function markerFromEnvironment(pid: number): Promise<{ runId: string; ownerPid: number } | undefined> {
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  const vars = environ.split('\0');
  const run = vars.find((v) => v.startsWith('COLDBENCH_RUN='));
  const owner = vars.find((v) => v.startsWith('COLDBENCH_OWNER='));
  return run && owner ? { runId: run.slice('COLDBENCH_RUN='.length), ownerPid: Number(owner.slice('COLDBENCH_OWNER='.length)) } : undefined;
}

export interface MarkedProcess {
  pid: number;
  runId: string;
  ownerPid: number;
}

export async function findMarkedProcesses(): Promise<MarkedProcess[]> {
  const found: MarkedProcess[] = [];
  for (const { pid, argv } of await findProcesses(() => true)) {
    if (pid === process.pid) continue;
    const run = argv.find((a) => a.startsWith('--coldbench-run='));
    const owner = argv.find((a) => a.startsWith('--coldbench-owner='));
    if (run && owner) found.push({ pid, runId: run.split('=')[1]!, ownerPid: Number(owner.split('=')[1]) });
    else {
      const marker = await markerFromEnvironment(pid);
      if (marker) found.push({ pid, ...marker });
    }
  }
  return found;
}

/**
 * Whether a harness with this pid still runs: a live process (not merely a thread: kill(2)
 * accepts thread ids, which the kernel reuses as pids) running node, as every harness does.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (/^Tgid:\s*(\d+)/m.exec(status)?.[1] !== String(pid)) return false;
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /(^|\/)node[^/]*$/.test(argv0);
  } catch {
    return true; // no /proc to ask: trust kill(2)
  }
}
