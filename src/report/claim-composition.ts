// The composition claim: components composed into one call each other at a fraction of what
// services calling over the network pay. Read from the hops measurement (hop cost per deployment,
// src/measure/hops-figures.ts), compared within one results file (one machine, one run). Pure.
import { type HopFigures, hopFigures, hopText } from '../measure/hops-figures.js';
import type { RunResult } from '../results/types.js';
import { runtimeFamily } from '../runtimes/family.js';

/** The shape of a Claim (claims.ts, which imports this file: declared here to keep imports acyclic). */
interface Claim {
  id: string;
  statement: string;
  verdict: 'holds' | 'does not hold' | 'not measured';
  evidence: string[];
  runs: string[];
  howToMeasure?: string;
}

/** Holds when a composed hop costs at most this fraction of the cheapest services hop. */
export const COMPOSITION_FRACTION = 0.1;

const statement = 'Components composed in one process call each other at a fraction of the cost of services calling over the network.';
const howToMeasure =
  'the hops measurement on a pipeline workload, composed on a Wasm runtime and as services in containers or as Wasm services on the same runtime (`npx coldbench run scenarios/composition.yaml`: composed on wasm, wasmtime and wasmtime-serve; services on docker-services and wasmtime-services)';

export function compositionClaim(results: RunResult[]): Claim {
  const evidence: string[] = [];
  const runs: string[] = [];
  let measured = false;
  let holds = true;
  for (const result of results) {
    const figures = hopFigures(result);
    for (const workload of [...new Set(figures.map((f) => f.workload))]) {
      const of = (kind: HopFigures['deployment']) => figures.filter((f) => f.workload === workload && f.deployment === kind);
      const composed = of('composed');
      // The claim is against services in containers and Wasm services on the composed runtime's
      // own engine; services on bare processes are shown beside them, not judged against.
      const family = (f: HopFigures) => runtimeFamily(result, f.identity.runtime);
      const services = of('services');
      const containers = services.filter((f) => family(f) === 'container');
      const wasmServices = services.filter((f) => family(f) === 'wasm');
      const processServices = services.filter((f) => family(f) === 'process');
      for (const c of composed) {
        const against = [...containers, ...wasmServices.filter((w) => servicesOf(w.identity.runtime) === c.identity.runtime)];
        if (against.length === 0) continue;
        measured = true;
        runs.push(result.runId);
        const cheapest = against.reduce((a, b) => (b.hop.median < a.hop.median ? b : a));
        const ok = c.hop.median <= cheapest.hop.median * COMPOSITION_FRACTION;
        holds &&= ok;
        const ratio = cheapest.hop.median > 0 ? ` (${ratioWords(c.hop.median / cheapest.hop.median)} of the cheapest services hop, ${cheapest.label})` : '';
        evidence.push(
          `${workload} composed on ${c.label}: one hop ${hopText(c)}${ratio} against ${against.map((s) => `${s.label} ${hopText(s)}`).join(', ')}; ${ok ? 'holds' : `does not hold: more than ${fractionWords()} of ${cheapest.label}'s`} (run ${result.runId})`,
        );
      }
      for (const p of processServices)
        evidence.push(`${workload} as services on bare processes (${p.label}), not judged against: ${hopText(p)} per hop (run ${result.runId})`);
      for (const l of of('linked'))
        evidence.push(`${workload} linked in one native process (${l.label}), the floor: ${hopText(l)} per call (run ${result.runId})`);
    }
  }
  if (!measured) {
    return {
      id: 'composition',
      statement,
      verdict: 'not measured',
      evidence: [
        'no run measured hops of a pipeline both composed (a Wasm runtime) and as services in containers (docker-services) or as Wasm services on the same runtime (wasmtime-services for wasmtime)',
      ],
      runs: results.map((r) => r.runId),
      howToMeasure,
    };
  }
  return { id: 'composition', statement, verdict: holds ? 'holds' : 'does not hold', evidence, runs: [...new Set(runs)] };
}

/** The runtime whose engine a Wasm services runtime runs its stages on, by name: `<runtime>-services` (wasmtime-services: wasmtime). */
export function servicesOf(runtime: string | null | undefined): string | undefined {
  return runtime?.endsWith('-services') ? runtime.slice(0, -'-services'.length) : undefined;
}

const fractionWords = () => `a ${Math.round(1 / COMPOSITION_FRACTION) === 10 ? 'tenth' : `1/${Math.round(1 / COMPOSITION_FRACTION)}`}`;

/** A ratio as "1/250" below a half, "0.90×" or "1.40×" above. */
function ratioWords(ratio: number): string {
  if (ratio <= 0) return 'no measurable cost';
  return ratio < 0.5 ? `1/${Math.round(1 / ratio)}` : `${ratio.toFixed(2)}×`;
}
