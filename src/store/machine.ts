// A machine, for history and for gates: its hardware (CPU model, architecture, cores, memory), not
// its hostname, which changes on every hosted CI runner.
import type { Fingerprint } from '../results/types.js';

export function machineKey(f: Fingerprint): string {
  return `${f.cpuModel.replace(/\s+/g, ' ').trim()} · ${f.arch} · ${f.cores} cores · ${Math.round(f.memoryBytes / 2 ** 30)} GiB`;
}
