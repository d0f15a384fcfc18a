// A workload's language as the report names it, and its twins: `hello`, `hello-c` and `hello-py`
// are one workload in three languages (the same family, answer for answer).
import type { RunResult } from '../results/types.js';

const NAMES: Record<string, string> = { c: 'C', js: 'JS', python: 'Python', pipeline: 'JS + C' };

/** The language its server app was built from, else what its name says (-c, -py); undefined when unknown. */
export function workloadLanguage(result: RunResult, workload: string): string | undefined {
  const app = result.artifacts.find((a) => a.workload === workload)?.builds.find((b) => b.kind === 'server-app') as { language?: string } | undefined;
  if (app?.language) return NAMES[app.language] ?? app.language;
  if (workload.endsWith('-c')) return 'C';
  if (workload.endsWith('-py')) return 'Python';
  return undefined;
}

/** The workload family: the name without its language suffix (`infer-py` → `infer`). */
export function workloadFamily(workload: string): string {
  return workload.replace(/-(c|py)$/, '');
}
