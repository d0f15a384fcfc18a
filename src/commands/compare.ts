// `coldbench compare <a.json> <b.json>`: per metric, b against a, with a verdict: faster, slower,
// or unsure. --markdown for a CI job summary; --fail-on-regression PCT for a CI exit code.
import { UserError } from '../errors.js';
import { readResults } from '../report/read-results.js';
import { compareRuns } from '../report/comparison.js';
import { compareMarkdown, compareTerminal } from '../report/compare-table.js';

export async function compareCommand(files: string[], options: { markdown?: boolean; failOnRegression?: string }): Promise<number> {
  if (files.length !== 2) throw new UserError(`compare: expected two results files, got ${files.length}`);
  let threshold: number | undefined;
  if (options.failOnRegression !== undefined) {
    threshold = Number(options.failOnRegression);
    if (!Number.isFinite(threshold) || threshold < 0) throw new UserError(`--fail-on-regression: expected a percentage such as 10, got "${options.failOnRegression}"`);
  }
  const [a, b] = await Promise.all(files.map(readResults));
  const rows = compareRuns(a!, b!);
  if (rows.length === 0) throw new UserError(`compare: ${files[0]} and ${files[1]} have no measurement in common`, 1);
  console.log(options.markdown ? compareMarkdown(rows) : compareTerminal(rows));
  if (threshold === undefined) return 0;
  // A regression: "slower" with confidence, by more than the threshold (for throughput, a drop).
  const regressions = rows.filter((r) => r.verdict === 'slower' && Math.abs(r.estimate.ratio - 1) * 100 > threshold!);
  if (regressions.length) {
    console.error(`${regressions.length} regression(s) beyond ${threshold}%: ${regressions.map((r) => `${r.workload}/${r.runtime}/${r.phase}/${r.metric}`).join(', ')}`);
    return 1;
  }
  return 0;
}
