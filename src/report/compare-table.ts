// The comparison of two runs as a terminal table or as GitHub-flavoured Markdown.

import { formatNumber } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import type { ComparisonRow } from '../stats/compare.js';
import { span, times } from '../stats/compare.js';
import { textTable } from '../text-table.js';

const HEADER = ['workload', 'runtime', 'measurement', 'tenants', 'what', 'metric', 'median a', 'median b', 'b/a (95% CI)', 'verdict'];

/** One comparison row's cells, in HEADER's order (the terminal, Markdown and the report's table). */
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
    `${times(row.estimate.ratio)} (${span(row.estimate.ci95[0], row.estimate.ci95[1])})`,
    row.verdictText,
  ];
}

export function compareTerminal(rows: ComparisonRow[]): string {
  return textTable(HEADER, rows.map(comparisonCells));
}

export function compareMarkdown(rows: ComparisonRow[]): string {
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  return [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${comparisonCells(r).map(escapeCell).join(' | ')} |`),
  ].join('\n');
}
