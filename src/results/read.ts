// Reads results files for report, compare and claims: checks each is a coldbench results file
// (schema 1 or 2; schema 1 is converted), with one-line errors naming the file and the field.
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { summarize } from '../stats/summarize.js';
import { resultShapeProblem } from './shape.js';
import { type RunResult, SCHEMA_VERSION } from './types.js';
import { upgradeToCurrent } from './upgrade.js';

const MAX_BYTES = 512 * 1024 * 1024;

export async function readResults(file: string): Promise<RunResult> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError(`${file}: not a regular file; expected a results file written by coldbench run`);
    if (info.size > MAX_BYTES) throw new UserError(`${file}: ${info.size} bytes; results files above ${MAX_BYTES} bytes are refused`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${file}: cannot read results (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON; expected a results file written by coldbench run`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${file}: expected a JSON object written by coldbench run`);
  const result = upgradeToCurrent(value as Record<string, unknown>);
  if (!result) {
    const version = (value as { schemaVersion?: unknown }).schemaVersion;
    throw new UserError(`${file}: schemaVersion: expected 1 to ${SCHEMA_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}`);
  }
  const problem = resultShapeProblem(result);
  if (problem) throw new UserError(`${file}: ${problem}`);
  // Summaries are derived data: recomputing them keeps reports right for files from older versions.
  const defaults = { densityRamps: [], artifacts: [], warnings: [], runtimes: [] };
  return { ...defaults, ...result, summaries: summarize(result.samples) };
}
