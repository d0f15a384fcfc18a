// `coldbench history [--db DB] [--out FILE] [--changes [--markdown]] [--scenario S] [--workload W] [--runtime R]`:
// the store's runs over time, as one offline HTML page or as the list of change points.
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { formatMs, formatNumber } from '../format.js';
import { judge } from '../measure/registry.js';
import { renderHistory } from '../report/history-page.js';
import { parseSelector, SELECTOR_SYNTAX } from '../results/selector.js';
import { checkWritableDirectory, writeFileAtomic } from '../results/write.js';
import { withStore } from '../store/open.js';
import { listRuns, summariesOf } from '../store/read.js';
import { buildSeries, type SeriesChange, type SeriesFilter, seriesChanges } from '../store/series.js';
import { textTable } from '../text-table.js';

export interface HistoryOptions extends SeriesFilter {
  db?: string;
  out?: string;
  changes?: boolean;
  markdown?: boolean;
}

export async function historyCommand(options: HistoryOptions): Promise<number> {
  if (options.runtime !== undefined && !parseSelector(options.runtime)) throw new UserError(`--runtime: "${options.runtime}": expected ${SELECTOR_SYNTAX}`);
  if (options.markdown && !options.changes) throw new UserError('--markdown goes with --changes (the page is HTML)');
  const out = resolve(options.out ?? 'reports/history.html');
  if (!options.changes) await checkWritableDirectory('--out', dirname(out));
  const started = performance.now();
  const { runs, series, store } = await withStore(options.db, {}, async (db) => {
    const runs = await listRuns(db, { scenario: options.scenario });
    const summaries = await summariesOf(
      db,
      runs.map((r) => r.runId),
    );
    return { runs, series: buildSeries(runs, summaries, judge, options), store: db.where };
  });
  const changes = seriesChanges(series);
  if (options.changes) {
    console.log(changesText(changes, options.markdown ?? false));
    return 0;
  }
  await writeFileAtomic(out, await renderHistory(series, changes, { runs: runs.length, machines: new Set(runs.map((r) => r.machine)).size, store }));
  console.log(`history: ${out} (${runs.length} runs, ${series.length} series, ${changes.length} change points, ${formatMs(performance.now() - started)})`);
  return 0;
}

function changesText(changes: readonly SeriesChange[], markdown: boolean): string {
  if (changes.length === 0) return 'No change points: every series holds its level.';
  const header = ['change', 'scenario', 'machine', 'workload', 'runtime', 'quantity', 'level', 'commits', 'first run after'];
  const rows = changes.map((c) => [
    `${c.change > 0 ? '+' : ''}${formatNumber(c.change * 100)} % (${c.regression ? 'regression' : 'improvement'})`,
    c.series.scenario,
    c.series.machine,
    c.series.workload,
    c.series.runtimeLabel,
    c.series.quantity,
    `${formatNumber(c.before)} → ${formatNumber(c.after)} ${c.series.unit}`,
    `${c.from.gitSha.slice(0, 10)}..${c.to.gitSha.slice(0, 10)}`,
    `${c.to.runId} (${c.to.startedAt})`,
  ]);
  if (!markdown) return textTable(header, rows);
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
