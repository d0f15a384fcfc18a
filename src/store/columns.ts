// How samples and summaries map to the store's columns and back. Optional fields that are absent
// in the file are NULL in the store and absent again when read: a run read back equals its file.
import type { Sample, Summary } from '../results/types.js';

/** Optional fields of a quantity's key: NULL in the store, absent in the file. */
const OPTIONAL_KEY = ['variant', 'arm', 'arch', 'emulated'] as const;
const OPTIONAL_WHAT = ['phase', 'method', 'model'] as const;

/** The columns that say which quantity a sample or summary is about, shared by both tables. */
const QUANTITY_RUNTIME = [
  ['measurement', 'text'],
  ['workload', 'text'],
  ['runtime', 'text'],
  ['variant', 'text'],
  ['arm', 'text'],
  ['arch', 'text'],
  ['emulated', 'boolean'],
  ['tenants', 'integer'],
] as const;
const QUANTITY_WHAT = [
  ['phase', 'text'],
  ['method', 'text'],
  ['model', 'text'],
  ['metric', 'text'],
  ['unit', 'text'],
] as const;

/** Column name and SQL type, in the order json_to_recordset reads them. */
export const SAMPLE_COLUMNS = [
  ['ord', 'integer'],
  ['scenario', 'text'],
  ...QUANTITY_RUNTIME,
  ['iteration', 'integer'],
  ...QUANTITY_WHAT,
  ['value', 'double precision'],
  ['category', 'text'],
] as const;

export const SUMMARY_COLUMNS = [
  ['ord', 'integer'],
  ...QUANTITY_RUNTIME,
  ...QUANTITY_WHAT,
  ['n', 'integer'],
  ['mean', 'double precision'],
  ['median', 'double precision'],
  ['p95', 'double precision'],
  ['min', 'double precision'],
  ['max', 'double precision'],
  ['ci_low', 'double precision'],
  ['ci_high', 'double precision'],
  ['ci_level', 'double precision'],
  ['cv', 'double precision'],
] as const;

type Row = Record<string, unknown>;

export function summaryRow(summary: Summary, ord: number): Row {
  const { ci95, ciLevel, ...rest } = summary;
  return { ...rest, ord, ci_low: ci95?.[0] ?? null, ci_high: ci95?.[1] ?? null, ci_level: ciLevel };
}

/** The record read back, with absent fields left out (as makeSample leaves them out). */
function present(row: Row, fields: readonly string[]): Row {
  const out: Row = {};
  for (const field of fields) if (row[field] !== null && row[field] !== undefined) out[field] = row[field];
  return out;
}

export function sampleFromRow(row: Row): Sample {
  return {
    scenario: row.scenario,
    measurement: row.measurement,
    workload: row.workload,
    runtime: row.runtime ?? null,
    ...present(row, OPTIONAL_KEY),
    tenants: row.tenants,
    iteration: row.iteration,
    ...present(row, OPTIONAL_WHAT),
    metric: row.metric,
    unit: row.unit,
    value: row.value,
    ...present(row, ['category']),
  } as Sample;
}

export function summaryFromRow(row: Row): Summary {
  return {
    measurement: row.measurement,
    workload: row.workload,
    runtime: row.runtime ?? null,
    ...present(row, OPTIONAL_KEY),
    tenants: row.tenants,
    ...present(row, OPTIONAL_WHAT),
    metric: row.metric,
    unit: row.unit,
    n: row.n,
    mean: row.mean,
    median: row.median,
    p95: row.p95,
    min: row.min,
    max: row.max,
    ci95: row.ci_low === null || row.ci_low === undefined ? null : [row.ci_low, row.ci_high],
    ciLevel: row.ci_level,
    ...present(row, ['cv']),
  } as Summary;
}

/** `json_to_recordset($n::json) AS x(col type, …)`: many rows as one parameter, the same in both stores. */
export function recordset(param: string, columns: readonly (readonly [string, string])[]): string {
  return `json_to_recordset(${param}::json) AS x(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}
