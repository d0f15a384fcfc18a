// Marks the processes coldbench starts so that `clean` (and the next run, after a crash) can find
// them by their command line alone: `--coldbench-run=<runId> --coldbench-owner=<harness pid>`.
import { readdir, readFile } from 'node:fs/promises';

export function markerArgs(runId: string): string[] {
  return [`--coldbench-run=${runId}`, `--coldbench-owner=${process.pid}`];
}

export interface MarkedProcess {
  pid: number;
  runId: string;
  ownerPid: number;
}

export async function findMarkedProcesses(): Promise<MarkedProcess[]> {
  const found: MarkedProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const args = cmdline.split('\0');
    const run = args.find((a) => a.startsWith('--coldbench-run='));
    const owner = args.find((a) => a.startsWith('--coldbench-owner='));
    if (run && owner) found.push({ pid, runId: run.split('=')[1]!, ownerPid: Number(owner.split('=')[1]) });
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
