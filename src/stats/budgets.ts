// Budgets a CI can gate on: lines such as
//   hello/wasm/total median <= 100ms
//   hello/docker/total p95 <= 2x hello/process/total
//   warn hello-c/wasmtime:per-tenant/instantiate median < 10us
//   hello/docker/throughput median >= 20000req/s
// A quantity is WORKLOAD/RUNTIME[:VARIANT]/WHAT, WHAT being a phase (cold start), a memory
// method (density, at the ramp's largest step) or a metric (load). Parsing and evaluation are pure.

import { formatNumber } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult, Summary } from '../results/types.js';

export type Aggregate = 'median' | 'mean' | 'p95' | 'min' | 'max';
type Op = '<=' | '<' | '>=' | '>';

export interface Quantity {
  workload: string;
  runtime: string;
  variant?: string;
  what: string;
}

export interface Budget {
  text: string;
  level: 'error' | 'warn';
  quantity: Quantity;
  aggregate: Aggregate;
  op: Op;
  /** An absolute limit in the quantity's unit, or a multiple of another quantity. */
  limit: { value: number; unit: string } | { factor: number; of: Quantity };
}

export interface BudgetOutcome {
  budget: Budget;
  runId: string;
  passed: boolean;
  actual?: number;
  limit?: number;
  unit?: string;
  detail: string;
}

// Units a limit may be written in, as a factor to the unit coldbench stores.
const UNITS: Record<string, { unit: string; factor: number }> = {
  us: { unit: 'ms', factor: 0.001 },
  µs: { unit: 'ms', factor: 0.001 },
  ms: { unit: 'ms', factor: 1 },
  s: { unit: 'ms', factor: 1000 },
  KiB: { unit: 'MiB', factor: 1 / 1024 },
  MiB: { unit: 'MiB', factor: 1 },
  GiB: { unit: 'MiB', factor: 1024 },
  'req/s': { unit: 'req/s', factor: 1 },
  cores: { unit: 'cores', factor: 1 },
};

const QUANTITY = /^([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)(?::([A-Za-z0-9._-]+))?\/([A-Za-z0-9.+_-]+)$/;

function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  return { workload: match[1]!, runtime: match[2]!, ...(match[3] ? { variant: match[3] } : {}), what: match[4]! };
}

/** Parses one budget line; throws an Error whose message says what was expected. */
export function parseBudget(line: string): Budget {
  const words = line.trim().split(/\s+/);
  let level: Budget['level'] = 'error';
  if (words[0] === 'warn' || words[0] === 'error') level = words.shift() as Budget['level'];
  const [quantityText, aggregate, op, limitText, ...rest] = words;
  const expected = 'expected "[warn] WORKLOAD/RUNTIME[:VARIANT]/PHASE AGG OP LIMIT", e.g. "hello/wasm/total median <= 100ms"';
  if (!quantityText || !aggregate || !op || !limitText) throw new Error(`"${line}": ${expected}`);
  const quantity = parseQuantity(quantityText);
  if (!quantity) throw new Error(`"${line}": "${quantityText}" is not WORKLOAD/RUNTIME[:VARIANT]/PHASE`);
  if (!['median', 'mean', 'p95', 'min', 'max'].includes(aggregate))
    throw new Error(`"${line}": aggregate "${aggregate}": expected median, mean, p95, min or max`);
  if (!['<=', '<', '>=', '>'].includes(op)) throw new Error(`"${line}": "${op}": expected <=, <, >= or >`);
  const relative = /^([0-9.]+)x$/.exec(limitText);
  if (relative) {
    const of = parseQuantity(rest[0] ?? '');
    if (!of || rest.length !== 1) throw new Error(`"${line}": after "${limitText}", expected one WORKLOAD/RUNTIME/PHASE`);
    return { text: line.trim(), level, quantity, aggregate: aggregate as Aggregate, op: op as Op, limit: { factor: Number(relative[1]), of } };
  }
  const absolute = /^(-?[0-9.]+(?:e-?\d+)?)([A-Za-zµ/]+)$/.exec(limitText);
  const unit = absolute ? UNITS[absolute[2]!] : undefined;
  if (!absolute || !unit || !Number.isFinite(Number(absolute[1])) || rest.length) {
    throw new Error(
      `"${line}": limit "${[limitText, ...rest].join(' ')}": expected a number with a unit (${Object.keys(UNITS).join(', ')}) or "Nx WORKLOAD/RUNTIME/PHASE"`,
    );
  }
  return {
    text: line.trim(),
    level,
    quantity,
    aggregate: aggregate as Aggregate,
    op: op as Op,
    limit: { value: Number(absolute[1]) * unit.factor, unit: unit.unit },
  };
}

/** The summary a quantity names: for density, the ramp's largest step. */
export function findQuantity(result: RunResult, q: Quantity): Summary | undefined {
  const candidates = result.summaries.filter(
    (s) =>
      s.workload === q.workload &&
      s.runtime === q.runtime &&
      (s.variant ?? undefined) === q.variant &&
      (s.phase === q.what || s.method === q.what || s.metric === q.what) &&
      s.measurement !== 'setup',
  );
  const preferred = candidates.filter((s) => ['duration', 'memory-per-tenant', 'throughput'].includes(s.metric));
  const pool = preferred.length ? preferred : candidates;
  return pool.sort((a, b) => b.tenants - a.tenants)[0];
}

const describeQuantity = (q: Quantity) => `${q.workload}/${runtimeLabel({ runtime: q.runtime, variant: q.variant })}/${q.what}`;

export function evaluateBudget(budget: Budget, result: RunResult): BudgetOutcome {
  const base = { budget, runId: result.runId };
  const summary = findQuantity(result, budget.quantity);
  if (!summary) return { ...base, passed: false, detail: `${describeQuantity(budget.quantity)} is not in these results` };
  const actual = summary[budget.aggregate];
  let limit: number;
  if ('factor' in budget.limit) {
    const other = findQuantity(result, budget.limit.of);
    if (!other) return { ...base, passed: false, actual, unit: summary.unit, detail: `${describeQuantity(budget.limit.of)} is not in these results` };
    limit = budget.limit.factor * other[budget.aggregate];
  } else {
    if (budget.limit.unit !== summary.unit)
      return { ...base, passed: false, actual, unit: summary.unit, detail: `the limit is in ${budget.limit.unit}, the quantity in ${summary.unit}` };
    limit = budget.limit.value;
  }
  const passed = budget.op === '<=' ? actual <= limit : budget.op === '<' ? actual < limit : budget.op === '>=' ? actual >= limit : actual > limit;
  return {
    ...base,
    passed,
    actual,
    limit,
    unit: summary.unit,
    detail: `${budget.aggregate} ${formatNumber(actual)} ${summary.unit} ${budget.op} ${formatNumber(limit)} ${summary.unit} (n=${summary.n})`,
  };
}
