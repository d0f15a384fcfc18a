// `coldbench compare <a.json> <b.json>`: per quantity a measurement kind lets us judge, b against
// a, with a verdict. --markdown for a CI job summary; --fail-on-regression PCT for a CI exit code.
import { UserError } from '../errors.js';
import { judge } from '../measure/registry.js';
import { compareMarkdown, compareTerminal } from '../report/compare-table.js';
import { runtimeLabel } from '../results/identity.js';
import { readResults } from '../results/read.js';
import { parseSelector, type RuntimeSelector, SELECTOR_SYNTAX, selectIdentities, selectorText, selects, typedRuntimes } from '../results/selector.js';
import type { RunResult, SampleKey } from '../results/types.js';
import { COMPARE_DEFAULTS, compareRuns } from '../stats/compare.js';
import { INTERVAL_MIN_VALUES } from '../stats/honest.js';

export interface CompareCommandOptions {
  /** Runtime selectors (RUNTIME[:VARIANT][@ARM]): only the rows of the runtimes they name. */
  runtime?: string[];
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
  if (!Number.isInteger(minSamples) || minSamples < INTERVAL_MIN_VALUES || minSamples > 100000)
    throw new UserError(
      `--min-samples: expected a whole number from ${INTERVAL_MIN_VALUES} (the fewest values with a 95% interval) to 100000, got "${options.minSamples}"`,
    );
  const minEffect = options.minEffect === undefined ? COMPARE_DEFAULTS.minEffect * 100 : Number(options.minEffect);
  if (!Number.isFinite(minEffect) || minEffect < 0 || minEffect > 1000)
    throw new UserError(`--min-effect: expected a percentage from 0 to 1000, got "${options.minEffect}"`);
  const selectors = (options.runtime ?? []).map((text) => {
    const selector = parseSelector(text);
    if (!selector) throw new UserError(`--runtime: "${text}": expected ${SELECTOR_SYNTAX}, e.g. docker or wasmtime:per-tenant`);
    return selector;
  });
  const [a, b] = await Promise.all(files.map(readResults));
  checkSelectors(selectors, [a!, b!], files);
  const wanted = (s: SampleKey) => selectors.length === 0 || selectors.some((selector) => selects(selector, s));
  // Set-up steps (once per run) and the prober's floor are context; judged only when asked.
  const judged = (s: SampleKey) =>
    !wanted(s) ? undefined : (judge(s) ?? (options.includeSetup && (s.measurement === 'setup' || s.measurement === 'probe-floor') ? 'lower' : undefined));
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

/** Each selector must name a runtime of both files: a typo would otherwise compare nothing, silently. */
function checkSelectors(selectors: RuntimeSelector[], results: RunResult[], files: string[]): void {
  for (const selector of selectors) {
    results.forEach((result, index) => {
      if (selectIdentities(selector, result.samples).length === 0)
        throw new UserError(
          `--runtime: no runtime "${selectorText(selector)}" in ${files[index]}; expected one of: ${typedRuntimes(result.samples).join(', ')}`,
        );
    });
  }
}
