// `coldbench compare <a.json> <b.json>`: per quantity a measurement kind lets us judge, b against
// a, with a verdict. --markdown for a CI job summary; --fail-on-regression PCT for a CI exit code.
import { UserError } from '../errors.js';
import { judge } from '../measure/registry.js';
import { compareMarkdown, compareTerminal } from '../report/compare-table.js';
import { runtimeLabel } from '../results/identity.js';
import { readResults } from '../results/read.js';
import type { SampleKey } from '../results/types.js';
import { COMPARE_DEFAULTS, compareRuns } from '../stats/compare.js';

export interface CompareCommandOptions {
  markdown?: boolean;
  failOnRegression?: string;
  minSamples?: string;
  minEffect?: string;
  includeSetup?: boolean;
}

export async function compareCommand(files: string[], options: CompareCommandOptions): Promise<number> {
  if (files.length !== 2) throw new UserError(`expected two results files, got ${files.length}`);
  let threshold: number | undefined;
  if (options.failOnRegression !== undefined) {
    threshold = Number(options.failOnRegression);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 10000)
      throw new UserError(`--fail-on-regression: expected a percentage such as 10, got "${options.failOnRegression}"`);
  }
  const minSamples = options.minSamples === undefined ? COMPARE_DEFAULTS.minSamples : Number(options.minSamples);
  if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > 100000)
    throw new UserError(`--min-samples: expected a whole number from 1 to 100000, got "${options.minSamples}"`);
  const minEffect = options.minEffect === undefined ? COMPARE_DEFAULTS.minEffect * 100 : Number(options.minEffect);
  if (!Number.isFinite(minEffect) || minEffect < 0 || minEffect > 1000)
    throw new UserError(`--min-effect: expected a percentage from 0 to 1000, got "${options.minEffect}"`);
  const [a, b] = await Promise.all(files.map(readResults));
  // Set-up steps (once per run) and the prober's floor are context; judged only when asked.
  const judged = (s: SampleKey) => judge(s) ?? (options.includeSetup && (s.measurement === 'setup' || s.measurement === 'probe-floor') ? 'lower' : undefined);
  const rows = compareRuns(a!, b!, judged, { minSamples, minEffect: minEffect / 100 });
  if (rows.length === 0) throw new UserError(`${files[0]} and ${files[1]} have no measurement in common`, 1);
  console.log(options.markdown ? compareMarkdown(rows) : compareTerminal(rows));
  if (threshold === undefined) return 0;
  // A regression: worse with confidence, by more than the threshold (for throughput, a drop).
  const regressions = rows.filter((r) => r.verdict === 'worse' && Math.abs(r.estimate.ratio - 1) * 100 > threshold!);
  if (regressions.length) {
    console.error(
      `${regressions.length} regression(s) beyond ${threshold}%: ${regressions.map((r) => `${r.workload}/${runtimeLabel(r)}/${r.phase ?? r.method ?? r.model}/${r.metric}`).join(', ')}`,
    );
    return 1;
  }
  return 0;
}
