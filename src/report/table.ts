// The terminal table `run` prints: cold-start medians with their 95% CI, per workload, runtime
// and phase, and the prober's floor.
import type { Summary } from '../results/types.js';

const PHASE_ORDER = ['host-spawn', 'host-start', 'compile', 'create', 'start', 'spawn', 'instantiate', 'first-call', 'first-response', 'total', 'probe-floor'];

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

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}
