// Budgets a CI can gate on: lines such as
//   hello/wasm/total median <= 100ms
//   hello/docker/total p95 <= 2x hello/process/total
//   warn hello-c/wasmtime:per-tenant/instantiate median < 10us
//   hello/docker/throughput median >= 20000req/s
// A quantity is WORKLOAD/RUNTIME[:VARIANT][@ARM]/WHAT, WHAT being a phase (cold start), a memory
// method (density, at the ramp's largest step) or a metric (load). A runtime named without its
// variant selects each variant, and each is judged. Parsing and evaluation are pure.

import { formatNumber } from '../format.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import { parseSelector, type RuntimeSelector, SELECTOR_SYNTAX, selectIdentities, selectorText, typedRuntimes } from '../results/selector.js';
import type { RunResult, RuntimeIdentity, Summary } from '../results/types.js';

export type Aggregate = 'median' | 'mean' | 'p95' | 'min' | 'max';
type Op = '<=' | '<' | '>=' | '>';

export interface Quantity extends RuntimeSelector {
  workload: string;
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
  /** The runtime judged (one of those the budget's runtime selects), when one was found. */
  runtime?: RuntimeIdentity;
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

const WORD = /^[A-Za-z0-9.+_-]+$/;
const QUANTITY_SYNTAX = `WORKLOAD/${SELECTOR_SYNTAX}/PHASE`;

/** WORKLOAD/SELECTOR/WHAT: split at the first and last "/", since a variant may hold one (crun/pre-created). */
function parseQuantity(text: string): Quantity | undefined {
  const first = text.indexOf('/');
  const last = text.lastIndexOf('/');
  if (first < 0 || last <= first) return undefined;
  const [workload, what] = [text.slice(0, first), text.slice(last + 1)];
  const selector = parseSelector(text.slice(first + 1, last));
  if (!selector || !WORD.test(workload) || !WORD.test(what)) return undefined;
  return { workload, ...selector, what };
}

/** Parses one budget line; throws an Error whose message says what was expected. */
export function parseBudget(line: string): Budget {
  const words = line.trim().split(/\s+/);
  let level: Budget['level'] = 'error';
  if (words[0] === 'warn' || words[0] === 'error') level = words.shift() as Budget['level'];
  const [quantityText, aggregate, op, limitText, ...rest] = words;
  const expected = `expected "[warn] ${QUANTITY_SYNTAX} AGG OP LIMIT", e.g. "hello/wasm/total median <= 100ms"`;
  if (!quantityText || !aggregate || !op || !limitText) throw new Error(`"${line}": ${expected}`);
  const quantity = parseQuantity(quantityText);
  if (!quantity) throw new Error(`"${line}": "${quantityText}" is not ${QUANTITY_SYNTAX}`);
  if (!['median', 'mean', 'p95', 'min', 'max'].includes(aggregate))
    throw new Error(`"${line}": aggregate "${aggregate}": expected median, mean, p95, min or max`);
  if (!['<=', '<', '>=', '>'].includes(op)) throw new Error(`"${line}": "${op}": expected <=, <, >= or >`);
  const relative = /^([0-9.]+)x$/.exec(limitText);
  if (relative) {
    const of = parseQuantity(rest[0] ?? '');
    if (!of || rest.length !== 1) throw new Error(`"${line}": after "${limitText}", expected one ${QUANTITY_SYNTAX}`);
    return { text: line.trim(), level, quantity, aggregate: aggregate as Aggregate, op: op as Op, limit: { factor: Number(relative[1]), of } };
  }
  const absolute = /^(-?[0-9.]+(?:e-?\d+)?)([A-Za-zµ/]+)$/.exec(limitText);
  const unit = absolute ? UNITS[absolute[2]!] : undefined;
  if (!absolute || !unit || !Number.isFinite(Number(absolute[1])) || rest.length) {
    throw new Error(
      `"${line}": limit "${[limitText, ...rest].join(' ')}": expected a number with a unit (${Object.keys(UNITS).join(', ')}) or "Nx ${QUANTITY_SYNTAX}"`,
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

const matchesWhat = (q: Quantity, s: Summary) =>
  s.workload === q.workload && (s.phase === q.what || s.method === q.what || s.metric === q.what) && s.measurement !== 'setup';

/** The summary a quantity names for one runtime: for density, the ramp's largest step. */
function findFor(result: RunResult, q: Quantity, runtime: RuntimeIdentity): Summary | undefined {
  const candidates = result.summaries.filter((s) => matchesWhat(q, s) && identityKey(s) === identityKey(runtime));
  const preferred = candidates.filter((s) => ['duration', 'memory-per-tenant', 'throughput'].includes(s.metric));
  const pool = preferred.length ? preferred : candidates;
  return pool.sort((a, b) => b.tenants - a.tenants)[0];
}

/** Every runtime (variant, arm, emulated architecture) the quantity's selector names that has this quantity. */
export function quantityRuntimes(result: RunResult, q: Quantity): RuntimeIdentity[] {
  return selectIdentities(
    q,
    result.summaries.filter((s) => matchesWhat(q, s)),
  );
}

const describeQuantity = (q: Quantity) => `${q.workload}/${selectorText(q)}/${q.what}`;

/** "hello/nope/total is not in these results (hello/total is measured on: docker, wasm)". */
function missing(result: RunResult, q: Quantity): string {
  const here = typedRuntimes(result.summaries.filter((s) => matchesWhat(q, s)));
  return `${describeQuantity(q)} is not in these results${here.length ? ` (${q.workload}/${q.what} is measured on: ${here.join(', ')})` : ''}`;
}

/** Thrown when a quantity that must be one value (the reference of "Nx ...") names several runtimes. */
export class AmbiguousQuantity extends Error {}

/**
 * The reference of a relative limit: one runtime. The same architecture as the runtime judged when
 * it was measured there (an emulated docker against an emulated wasm).
 */
function referenceFor(result: RunResult, q: Quantity, judged: RuntimeIdentity): Summary | undefined {
  const runtimes = quantityRuntimes(result, q);
  const typed = [...new Set(runtimes.map(selectorText))].sort();
  if (typed.length > 1)
    throw new AmbiguousQuantity(`${describeQuantity(q)} names ${typed.length} runtimes in run ${result.runId}; name one: ${typed.join(', ')}`);
  const sameArch = runtimes.find((r) => Boolean(r.emulated) === Boolean(judged.emulated) && (!judged.emulated || r.arch === judged.arch));
  return sameArch ? findFor(result, q, sameArch) : undefined;
}

/** One outcome per runtime the budget's selector names (each variant judged), or one saying it is not there. */
export function evaluateBudget(budget: Budget, result: RunResult): BudgetOutcome[] {
  const base = { budget, runId: result.runId };
  const runtimes = quantityRuntimes(result, budget.quantity);
  if (runtimes.length === 0) return [{ ...base, passed: false, detail: missing(result, budget.quantity) }];
  return runtimes.map((runtime) => {
    const summary = findFor(result, budget.quantity, runtime)!;
    const actual = summary[budget.aggregate];
    const judged = { ...base, runtime, actual, unit: summary.unit };
    let limit: number;
    if ('factor' in budget.limit) {
      const other = referenceFor(result, budget.limit.of, runtime);
      if (!other) return { ...judged, passed: false, detail: missing(result, budget.limit.of) };
      limit = budget.limit.factor * other[budget.aggregate];
    } else {
      if (budget.limit.unit !== summary.unit)
        return { ...judged, passed: false, detail: `the limit is in ${budget.limit.unit}, the quantity in ${summary.unit}` };
      limit = budget.limit.value;
    }
    const passed = budget.op === '<=' ? actual <= limit : budget.op === '<' ? actual < limit : budget.op === '>=' ? actual >= limit : actual > limit;
    return {
      ...judged,
      passed,
      limit,
      detail: `${budget.aggregate} ${formatNumber(actual)} ${summary.unit} ${budget.op} ${formatNumber(limit)} ${summary.unit} (n=${summary.n})`,
    };
  });
}

/** The runtime an outcome judged, for a table: its label ("wasmtime (per-tenant)"), or "-". */
export const outcomeRuntime = (outcome: BudgetOutcome): string => (outcome.runtime ? runtimeLabel(outcome.runtime) : '-');
