// Reads results files for report and compare, checking each is a coldbench results file this
// version understands; errors name the file and what was expected.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { SCHEMA_VERSION, type RunResult } from '../results/types.js';
import { summarize } from '../stats/summarize.js';

export async function readResults(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read results (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let value: Partial<RunResult>;
  try {
    value = JSON.parse(text) as Partial<RunResult>;
  } catch {
    throw new UserError(`${file}: not JSON; expected a results file written by coldbench run`);
  }
  if (value.schemaVersion !== SCHEMA_VERSION) {
    throw new UserError(`${file}: schemaVersion: expected ${SCHEMA_VERSION}, got ${JSON.stringify(value.schemaVersion)}`);
  }
  if (!Array.isArray(value.samples) || !value.fingerprint) throw new UserError(`${file}: samples, fingerprint: expected a results file written by coldbench run`);
  // Summaries are derived data: recomputing them keeps reports right for files from older versions.
  return { densityRamps: [], artifacts: [], warnings: [], ...value, summaries: summarize(value.samples) } as RunResult;
}

/** How a machine is named in reports: host, architecture and CPU. */
export function machineLabel(result: RunResult): string {
  const f = result.fingerprint;
  return `${f.hostname} (${f.arch}, ${f.cpuModel.replace(/\s+/g, ' ').trim()})`;
}
