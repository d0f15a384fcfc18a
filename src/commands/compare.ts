// `coldbench compare <a.json> <b.json>`: per quantity a measurement kind lets us judge, b against
// a, with a verdict. --markdown for a CI job summary; --fail-on-regression PCT for a CI exit code.
import { UserError } from '../errors.js';
import { readResults } from '../results/read.js';
import { compareRuns } from '../stats/compare.js';
import { judge } from '../measure/registry.js';
import { runtimeLabel } from '../results/types.js';
import { compareMarkdown, compareTerminal } from '../report/compare-table.js';

export async function compareCommand(files: string[], options: { markdown?: boolean; failOnRegression?: string }): Promise<number> {
  if (files.length !== 2) throw new UserError(`expected two results files, got ${files.length}`);
  let threshold: number | undefined;
  if (options.failOnRegression !== undefined) {
    threshold = Number(options.failOnRegression);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 10000) throw new UserError(`--fail-on-regression: expected a percentage such as 10, got "${options.failOnRegression}"`);
  }
  const [a, b] = await Promise.all(files.map(readResults));
  const rows = compareRuns(a!, b!, judge);
  if (rows.length === 0) throw new UserError(`${files[0]} and ${files[1]} have no measurement in common`, 1);
  console.log(options.markdown ? compareMarkdown(rows) : compareTerminal(rows));
  if (threshold === undefined) return 0;
  // A regression: worse with confidence, by more than the threshold (for throughput, a drop).
  const regressions = rows.filter((r) => r.verdict === 'worse' && Math.abs(r.estimate.ratio - 1) * 100 > threshold!);
  if (regressions.length) {
    console.error(`${regressions.length} regression(s) beyond ${threshold}%: ${regressions.map((r) => `${r.workload}/${runtimeLabel(r)}/${r.phase ?? r.method ?? r.model}/${r.metric}`).join(', ')}`);
    return 1;
  }
  return 0;
}
