// POST /_control/reference on the V8 host (protocol.ts): jco's instantiate path back to back, with
// the part V8 itself spends in `new WebAssembly.Instance` of the core modules as the bare figure.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReferenceSeries } from '../runtimes/types.js';
import { loadComponent } from './components.js';
import type { ReferenceRequest } from './protocol.js';
import { instantiate } from './tenants.js';

const MAX_ITERATIONS = 10_000;
const MAX_GAP_MS = 10_000;
const MAX_GAP_TOTAL_MS = 120_000;

const whole = (value: unknown, min: number, max: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** The request with its defaults, or one line saying what is wrong (the same rules as the wasmtime host). */
export function parseReferenceRequest(body: unknown): Required<ReferenceRequest> | string {
  if (typeof body !== 'object' || body === null) return 'body must be JSON: {"component", "iterations"?, "gapMs"?, "gapIterations"?}';
  const { component, iterations = 100, gapMs = 0, gapIterations = 10, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return `bad body: unknown field ${JSON.stringify(unknown)}`;
  if (typeof component !== 'string') return 'component: expected the sha256 of a component.wasm (64 lowercase hex digits)';
  if (!whole(iterations, 1, MAX_ITERATIONS)) return `iterations: expected 1 to ${MAX_ITERATIONS}, got ${JSON.stringify(iterations)}`;
  if (!whole(gapMs, 0, MAX_GAP_MS)) return `gapMs: expected 0 to ${MAX_GAP_MS}, got ${JSON.stringify(gapMs)}`;
  if (!whole(gapIterations, 0, MAX_ITERATIONS)) return `gapIterations: expected 0 to ${MAX_ITERATIONS}, got ${JSON.stringify(gapIterations)}`;
  if (gapMs * gapIterations > MAX_GAP_TOTAL_MS) return `gapMs x gapIterations: expected at most ${MAX_GAP_TOTAL_MS} ms of gaps`;
  return { component, iterations, gapMs, gapIterations };
}

/** The series for the component whose glue module is `glue`; no tenant is added. */
export async function referenceSeries(glue: string, request: Required<ReferenceRequest>, maxMemoryBytes: number): Promise<ReferenceSeries[]> {
  const { component } = await loadComponent(glue, maxMemoryBytes);
  const once = () => {
    let core = 0;
    const started = performance.now();
    instantiate(component, glue, undefined, (ms) => {
      core += ms;
    });
    return { total: performance.now() - started, core };
  };
  const bare: number[] = [];
  const contexts: number[] = [];
  for (let i = 0; i < request.iterations; i++) {
    const { total, core } = once();
    bare.push(core);
    contexts.push(total);
  }
  const series: ReferenceSeries[] = [
    { phase: 'instantiate-bare', ms: bare },
    { phase: 'instantiate-contexts', ms: contexts },
  ];
  if (request.gapMs > 0 && request.gapIterations > 0) {
    const afterGap: number[] = [];
    for (let i = 0; i < request.gapIterations; i++) {
      await sleep(request.gapMs);
      afterGap.push(once().total);
    }
    series.push({ phase: 'instantiate-after-gap', ms: afterGap, gapMs: request.gapMs });
  }
  return series;
}
