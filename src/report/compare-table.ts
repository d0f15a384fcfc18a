// The comparison of two runs as a terminal table or as GitHub-flavoured Markdown.

import { formatNumber } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import type { ComparisonRow } from '../stats/compare.js';
import { span, times } from '../stats/compare.js';
import { hasInterval } from '../stats/honest.js';
import { formatMde } from '../stats/mde.js';
import { textTable } from '../text-table.js';

const percent = (level: number) => `${Math.round(level * 100)}%`;

/** "95% CI", "99% CI" or, when rows differ (pairs are judged at 99%), "CI, 95% or as marked"; "interval" when no row has one. */
function intervalName(rows: ComparisonRow[]): string {
  const levels = new Set(rows.filter((r) => hasInterval(r.n)).map((r) => r.estimate.level));
  if (levels.size === 0) return 'interval';
  return levels.size === 1 ? `${percent([...levels][0]!)} CI` : 'CI, 95% or as marked';
}

/** The header for these rows (the terminal, Markdown and, with other names for a and b, the report): the CI's level only when some row has one. */
export function comparisonHeader(rows: ComparisonRow[], a = 'median a', b = 'median b', ratio = 'b/a'): string[] {
  return ['workload', 'runtime', 'measurement', 'tenants', 'what', 'metric', a, b, `${ratio} (${intervalName(rows)})`, 'verdict', 'detectable (80% power)'];
}

/** The ratio with its interval, or, below 6 values a side, the ratio alone and why. */
function ratioCell(row: ComparisonRow): string {
  const kind = row.paired ? `, paired, ${percent(row.estimate.level)}` : '';
  if (!hasInterval(row.n)) return `${times(row.estimate.ratio)} (none: n=${row.n})`;
  return `${times(row.estimate.ratio)} (${span(row.estimate.ci[0], row.estimate.ci[1])}${kind})`;
}

/** "unsure: a change under 14% could not be seen with 15 iterations here" reads as "≥14% at n=15". */
function mdeCell(row: ComparisonRow): string {
  return row.mde80 === undefined ? '-' : `≥${formatMde(row.mde80)} at n=${row.n}`;
}

/** One comparison row's cells, in comparisonHeader's order (the terminal, Markdown and the report's table). */
export function comparisonCells(row: ComparisonRow): string[] {
  return [
    row.workload,
    runtimeLabel(row),
    row.measurement,
    String(row.tenants),
    row.phase ?? row.method ?? row.model ?? '-',
    row.metric,
    `${formatNumber(row.medianA)} ${row.unit}`,
    `${formatNumber(row.medianB)} ${row.unit}`,
    ratioCell(row),
    row.verdict === 'unsure' && row.mde80 !== undefined
      ? `unsure: a change under ${formatMde(row.mde80)} could not be seen with ${row.n} ${row.paired ? 'pairs' : 'values a side'} here`
      : row.verdictText,
    mdeCell(row),
  ];
}

export function compareTerminal(rows: ComparisonRow[]): string {
  return textTable(comparisonHeader(rows), rows.map(comparisonCells));
}

export function compareMarkdown(rows: ComparisonRow[]): string {
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const header = comparisonHeader(rows);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${comparisonCells(r).map(escapeCell).join(' | ')} |`),
  ].join('\n');
}
