// `coldbench report <results.json...> --out FILE`: one self-contained HTML report from results files.
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { renderReport } from '../report/page.js';
import { runtimeLabel } from '../results/identity.js';
import { readResults } from '../results/read.js';
import { checkWritableDirectory, writeFileAtomic } from '../results/write.js';

export async function reportCommand(files: string[], options: { out?: string; baseline?: string }): Promise<number> {
  if (files.length === 0) throw new UserError('give at least one results file (coldbench report results/x.json --out reports/x.html)');
  const out = resolve(options.out ?? 'reports/report.html');
  await checkWritableDirectory('--out', dirname(out));
  const results = await Promise.all(files.map(readResults));
  if (options.baseline && !results.some((r) => r.samples.some((s) => runtimeLabel(s) === options.baseline))) {
    throw new UserError(`--baseline: no runtime "${options.baseline}" in these results`);
  }
  await writeReport(out, await renderReport(results, { baseline: options.baseline }));
  console.log(`report: ${out}`);
  return 0;
}

export async function writeReport(out: string, html: string): Promise<void> {
  await writeFileAtomic(out, html);
}
