// The terminal table `run` prints: cold-start medians with their 95% CI, per workload, runtime
// and phase, and the prober's floor.
import type { DensityRamp, Summary } from '../results/types.js';

export const PHASE_ORDER = ['host-spawn', 'host-start', 'compile', 'create', 'start', 'spawn', 'instantiate', 'first-call', 'first-response', 'total', 'probe-floor'];

export function coldStartTable(summaries: Summary[]): string {
  const rows = [...summaries].sort((a, b) =>
    a.workload.localeCompare(b.workload) || a.runtime.localeCompare(b.runtime) ||
    PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase));
  const header = ['workload', 'runtime', 'phase', 'n', 'median ms', '95% CI ms', 'min–max ms'];
  const body = rows.map((s) => [
    s.workload, s.runtime, s.measurement === 'setup' ? `${s.phase} (once)` : s.phase, String(s.n),
    fmt(s.median), `${fmt(s.ci95[0])}–${fmt(s.ci95[1])}`, `${fmt(s.min)}–${fmt(s.max)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Load passes per workload and runtime: medians over passes, and the client-bound flag. */
export function loadTable(summaries: Summary[]): string {
  const pick = (workload: string, runtime: string, metric: string) =>
    summaries.find((s) => s.workload === workload && s.runtime === runtime && s.metric === metric);
  const pairs = [...new Set(summaries.map((s) => `${s.workload}\0${s.runtime}`))].sort();
  const header = ['workload', 'runtime', 'model', 'req/s (median, 95% CI)', 'p99 ms', 'client cores', 'server cores', 'note'];
  const body = pairs.map((pair) => {
    const [workload, runtime] = pair.split('\0') as [string, string];
    const rps = pick(workload, runtime, 'throughput');
    const bound = pick(workload, runtime, 'client-bound');
    return [
      workload, runtime, rps?.phase ?? '-',
      rps ? `${rps.median.toFixed(0)} (${rps.ci95[0].toFixed(0)}–${rps.ci95[1].toFixed(0)})` : '-',
      latency(pick(workload, runtime, 'latency-p99')),
      (pick(workload, runtime, 'client-cpu')?.median ?? NaN).toFixed(2),
      (pick(workload, runtime, 'server-cpu')?.median ?? NaN).toFixed(2),
      bound && bound.max > 0 ? 'CLIENT-BOUND: req/s is the load client\'s ceiling, not the server\'s' : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Density: how each ramp ended, and memory per tenant by method at the ramp's largest step. */
export function densityTable(summaries: Summary[], ramps: DensityRamp[]): string {
  const lines = ramps.map((ramp) => {
    const atEnd = summaries.filter((s) => s.workload === ramp.workload && s.runtime === ramp.runtime && s.tenants === ramp.reachedTenants);
    const methods = atEnd.filter((s) => s.metric === 'memory-per-tenant').map((s) => `${s.phase} ${s.median.toFixed(2)}`).join(', ');
    return `${ramp.workload} on ${ramp.runtime}: ${ramp.reachedTenants} tenants (${ramp.stopReason})\n    MiB per tenant at ${ramp.reachedTenants}: ${methods || '-'}`;
  });
  return ['density', '-------', ...lines].join('\n');
}

// autocannon (closed model) records whole milliseconds: a 0 means "under a millisecond".
function latency(summary: Summary | undefined): string {
  if (!summary) return '-';
  return summary.phase === 'closed' && summary.median < 1 ? '<1' : fmt(summary.median);
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}
