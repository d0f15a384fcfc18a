// Wasm's compute tax: what a request costs on each runtime and in each language against the same
// work compiled by gcc -O2 and run as a plain process (the family's C twin on `process`), from the
// load measurement at one connection (one request at a time, so a request's latency is its cost:
// the guest's code, plus the runtime's HTTP path, the same for every workload on one runtime).
// Read from results only; rendered as a section of the report.
import { formatNumber } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult, Summary } from '../results/types.js';
import { escapeHtml as h } from './escape.js';
import { workloadFamily, workloadLanguage } from './workload-language.js';

export interface ComputeTaxRow {
  workload: string;
  language: string;
  runtime: string;
  /** This runtime's median p50 latency over passes, and its range, ms. */
  median: number;
  min: number;
  max: number;
  /** The native C process's median p50, ms, and the ratios to it (native C = 1). */
  native: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
}

/** Connections of the run's load measurement (its default when unset). */
function loadConnections(result: RunResult): number | undefined {
  const load = result.scenario.measurements.load as { connections?: number } | undefined;
  return load ? (load.connections ?? 10) : undefined;
}

function isNativeC(s: Summary, family: string): boolean {
  return s.workload === `${family}-c` && s.runtime === 'process';
}

export function computeTax(result: RunResult): ComputeTaxRow[] {
  if (loadConnections(result) !== 1) return [];
  const p50s = result.summaries.filter((s) => s.measurement === 'load' && s.metric === 'latency-p50' && !s.arm);
  const rows: ComputeTaxRow[] = [];
  for (const s of p50s) {
    const family = workloadFamily(s.workload);
    const native = p50s.find((n) => isNativeC(n, family) && n.arch === s.arch && n.emulated === s.emulated);
    if (!native || native.median <= 0) continue;
    rows.push({
      workload: s.workload,
      language: workloadLanguage(result, s.workload) ?? 'JS',
      runtime: runtimeLabel(s),
      median: s.median,
      min: s.min,
      max: s.max,
      native: native.median,
      ratio: s.median / native.median,
      ratioMin: s.min / native.median,
      ratioMax: s.max / native.median,
    });
  }
  return rows.sort((a, b) => workloadFamily(a.workload).localeCompare(workloadFamily(b.workload)) || a.ratio - b.ratio);
}

const ratioText = (r: ComputeTaxRow) => `${formatNumber(r.ratio)}× (${formatNumber(r.ratioMin)}–${formatNumber(r.ratioMax)})`;

/** One line per row, for text summaries. */
export function computeTaxLines(result: RunResult): string[] {
  return computeTax(result).map(
    (r) => `${r.workload} (${r.language}) on ${r.runtime}: ${formatNumber(r.median)} ms a request, ${ratioText(r)} native C's ${formatNumber(r.native)} ms`,
  );
}

export function computeTaxSection(results: RunResult[]): string {
  const rows = results.flatMap((r) => computeTax(r).map((row) => ({ run: r.runId, ...row })));
  if (rows.length === 0) return '';
  const several = results.length > 1;
  const header = [...(several ? ['run'] : []), 'workload', 'language', 'runtime', 'p50 ms, median (min–max) over passes', 'against native C (= 1)'];
  const body = rows
    .map((r) =>
      [
        ...(several ? [r.run] : []),
        r.workload,
        r.language,
        r.runtime,
        `${formatNumber(r.median)} (${formatNumber(r.min)}–${formatNumber(r.max)})`,
        ratioText(r),
      ]
        .map((c) => `<td>${h(c)}</td>`)
        .join(''),
    )
    .map((cells) => `<tr>${cells}</tr>`)
    .join('');
  return `<section id="compute-tax"><h2>Wasm's compute tax</h2><p>One request at a time (load at one connection): each runtime's median p50 latency against the same work in C compiled by gcc -O2 and run as a process. The runtime's HTTP path is included (it is what a hello request costs there).</p><table><thead><tr>${header.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></section>`;
}
