// What the capability probe (workloads/capability-probe) reports, as data: one sample per probe
// and runtime, an outcome (a category) or, for env-vars, a count. Pure, so claims, reports and
// tests read results the same way.

import { identityKey, runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample } from '../results/types.js';

export const CAPABILITIES_MEASUREMENT = 'capabilities';
export const PROBE_WORKLOAD = 'capability-probe';

/** The probes, in the order tables show them, with what each tried. */
export const PROBES = [
  { id: 'env-vars', what: 'environment variables it sees (count)' },
  { id: 'env-sentinel', what: 'COLDBENCH_RUN, set in every process the harness starts' },
  { id: 'read-etc-passwd', what: 'read /etc/passwd (its own view)' },
  { id: 'read-etc-shadow', what: 'read /etc/shadow (its own view)' },
  { id: 'read-harness-file', what: 'read a file the harness wrote on the host' },
  { id: 'write-tmp', what: 'create a file in /tmp (its own view)' },
  { id: 'write-root', what: 'create a file in / (its own view)' },
  { id: 'write-harness-dir', what: 'create a file in a directory the harness made on the host' },
  { id: 'connect-harness', what: 'open a TCP connection to 127.0.0.1:PORT, where the harness listens' },
] as const;

/** What one probe's attempt came to: the category its sample records. */
export const OUTCOMES = ['refused', 'reached', 'not-available'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Whether a capabilities sample says the tenant reached something of the host. The count of
 * environment variables is not such a sample: a runtime may set its own (`wasmtime serve` gives
 * every instance INSTANCE_ID); env-sentinel says whether the host's environment shows through.
 */
export function reached(sample: Pick<Sample, 'category'>): boolean {
  return sample.category === 'reached';
}

export interface Reachability {
  workload: string;
  runtime: string;
  runtimeName: string;
  /** probe id -> "reached", "refused", "not-available", or the count of variables. */
  cells: Map<string, string>;
  reachedProbes: string[];
  /** How many environment variables it saw (any source), when probed. */
  envVars?: number;
}

/** Per runtime (and variant), what its probe reached, from a run's samples. */
export function reachability(result: RunResult): Reachability[] {
  const rows = new Map<string, Reachability>();
  for (const s of result.samples.filter((x) => x.measurement === CAPABILITIES_MEASUREMENT)) {
    const runtime = runtimeLabel(s);
    const key = `${s.workload}\0${identityKey(s)}`;
    const row: Reachability = rows.get(key) ?? {
      workload: s.workload,
      runtime,
      runtimeName: s.runtime ?? '',
      cells: new Map<string, string>(),
      reachedProbes: [],
    };
    row.cells.set(s.metric, s.category ?? String(s.value));
    if (reached(s)) row.reachedProbes.push(s.metric);
    if (s.metric === 'env-vars') row.envVars = s.value;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.runtime.localeCompare(b.runtime));
}

/** "process reached env-sentinel, read-etc-shadow (sees 39 environment variables)". */
export function reachabilityWords(row: Reachability): string {
  const env = row.envVars === undefined ? '' : ` (sees ${row.envVars} environment variable${row.envVars === 1 ? '' : 's'})`;
  return `${row.runtime} reached ${row.reachedProbes.length ? row.reachedProbes.join(', ') : 'nothing of the host it tried'}${env}`;
}

/** The reachability table: a header and one row per runtime. */
export function reachabilityTable(results: RunResult[]): { header: string[]; rows: string[][] } | undefined {
  const all = results.flatMap((r) => reachability(r).map((row) => ({ row, runId: r.runId })));
  if (all.length === 0) return undefined;
  const several = results.length > 1;
  return {
    header: [...(several ? ['run'] : []), 'runtime', ...PROBES.map((p) => p.id)],
    rows: all.map(({ row, runId }) => [...(several ? [runId] : []), row.runtime, ...PROBES.map((p) => row.cells.get(p.id) ?? '-')]),
  };
}
