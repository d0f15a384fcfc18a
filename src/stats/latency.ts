// Latency figures for display. Closed-model latencies are µs-resolved since the load worker reads
// autocannon's per-request timings; results files from before hold autocannon's whole
// milliseconds, where 0 meant "under a millisecond".
import { formatNumber } from '../format.js';
import type { Summary } from '../results/types.js';

export function latencyText(summary: Summary | undefined): string {
  if (!summary) return '-';
  return summary.model === 'closed' && summary.median === 0 ? '<1' : formatNumber(summary.median);
}

/** A value a log axis can show: zero, negative and missing values become null, which vega-lite leaves out instead of warning. */
export function onLogAxis(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}
