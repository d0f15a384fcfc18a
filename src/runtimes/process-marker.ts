// Marks the processes coldbench starts so that `clean` (and the next run, after a crash) can find
// them by their command line alone: `--coldbench-run=<runId> --coldbench-owner=<harness pid>`.
import { findProcesses } from '../sys/proc.js';

export function markerArgs(runId: string): string[] {
  return [`--coldbench-run=${runId}`, `--coldbench-owner=${process.pid}`];
}

export interface MarkedProcess {
  pid: number;
  runId: string;
  ownerPid: number;
}

export async function findMarkedProcesses(): Promise<MarkedProcess[]> {
  const marked = await findProcesses((argv) => argv.some((a) => a.startsWith('--coldbench-run=')));
  return marked.filter(({ pid }) => pid !== process.pid).flatMap(({ pid, argv }) => {
    const run = argv.find((a) => a.startsWith('--coldbench-run='));
    const owner = argv.find((a) => a.startsWith('--coldbench-owner='));
    return run && owner ? [{ pid, runId: run.split('=')[1]!, ownerPid: Number(owner.split('=')[1]) }] : [];
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
