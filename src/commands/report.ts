// `coldbench report <results.json...> --out FILE`: one self-contained HTML report from results files.
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Baseline } from '../measure/types.js';
import { renderReport } from '../report/page.js';
import { readResults } from '../results/read.js';
import { parseSelector, SELECTOR_SYNTAX, selectOne } from '../results/selector.js';
import { checkWritableDirectory, writeFileAtomic } from '../results/write.js';

export async function reportCommand(files: string[], options: { out?: string; baseline?: string }): Promise<number> {
  if (files.length === 0) throw new UserError('give at least one results file (coldbench report results/x.json --out reports/x.html)');
  const out = resolve(options.out ?? 'reports/report.html');
  await checkWritableDirectory('--out', dirname(out));
  const results = await Promise.all(files.map(readResults));
  const baseline =
    options.baseline === undefined
      ? undefined
      : baselineIdentity(
          options.baseline,
          results.flatMap((r) => r.samples),
        );
  await writeReport(out, await renderReport(results, { baseline }));
  console.log(`report: ${out}`);
  return 0;
}

/** The one runtime --baseline names (RUNTIME[:VARIANT][@ARM]), as an identity (never matched by its label). */
function baselineIdentity(text: string, samples: Parameters<typeof selectOne>[1]): Baseline {
  const selector = parseSelector(text);
  if (!selector) throw new UserError(`--baseline: "${text}": expected ${SELECTOR_SYNTAX}, e.g. docker or wasmtime:per-tenant`);
  try {
    const { runtime, variant, arm } = selectOne(selector, samples);
    return { runtime, ...(variant ? { variant } : {}), ...(arm ? { arm } : {}) };
  } catch (error) {
    throw new UserError(`--baseline: ${(error as Error).message}`);
  }
}

export async function writeReport(out: string, html: string): Promise<void> {
  await writeFileAtomic(out, html);
}
