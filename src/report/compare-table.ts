// The comparison of two runs as a terminal table or as GitHub-flavoured Markdown.
import type { ComparisonRow } from './comparison.js';
import { times } from './comparison.js';

const HEADER = ['workload', 'runtime', 'measurement', 'tenants', 'phase', 'metric', 'median a', 'median b', 'b/a (95% CI)', 'verdict'];

function cells(row: ComparisonRow): string[] {
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
  return [
    row.workload, row.runtime, row.measurement, String(row.tenants), row.phase, row.metric,
    `${fmt(row.medianA)} ${row.unit}`, `${fmt(row.medianB)} ${row.unit}`,
    `${times(row.estimate.ratio)} (${times(row.estimate.ci95[0])}–${times(row.estimate.ci95[1])})`, row.verdict,
  ];
}

export function compareTerminal(rows: ComparisonRow[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function compareMarkdown(rows: ComparisonRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  return [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(escape).join(' | ')} |`),
  ].join('\n');
}
