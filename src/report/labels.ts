// How reports name where results came from: the machine, and the run when one machine gave
// several runs (two runs of one machine are shown side by side, never summed).
import type { RunResult } from '../results/types.js';

export function machineLabel(result: RunResult): string {
  const f = result.fingerprint;
  return `${f.hostname} (${f.arch}, ${f.cpuModel.replace(/\s+/g, ' ').trim()})`;
}

/** The label of one results file among `all`: its machine, plus its run id when needed to tell it apart. */
export function sourceLabel(result: RunResult, all: readonly RunResult[]): string {
  const machine = machineLabel(result);
  const sameMachine = all.filter((r) => machineLabel(r) === machine).length;
  return sameMachine > 1 ? `${machine} · run ${result.runId}` : machine;
}

/** True when the results come from more than one source (a facet per source is needed). */
export function severalSources(results: readonly RunResult[]): boolean {
  return new Set(results.map((r) => sourceLabel(r, results))).size > 1;
}
