// The autoscaling claim: "Wasm scales out instantly under a spike". Two halves, each with its
// threshold stated in the claim's text: a burst of 100 new tenants (every Wasm tenant answers
// within 100 ms of the burst, p99, while the fastest container variant at that burst needs at
// least 1 s), and the start rate sustained (the Wasm runtime's knee at least 10× the highest
// knee of any container variant).
// Pure: results in, a claim out.

import { formatMs, formatNumber } from '../format.js';
import { burstFigures, type Knee, kneeWords, type RuntimeBursts } from '../measure/burst-figures.js';
import { HEADLINE_SIZE } from '../measure/burst-read.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult } from '../results/types.js';
import { runtimeFamily } from '../runtimes/family.js';

export const BURST_SIZE = HEADLINE_SIZE;
export const WASM_BURST_P99_MS = 100;
export const CONTAINER_BURST_P99_MS = 1000;
export const RATE_FACTOR = 10;

type Part = 'holds' | 'fails' | 'unknown';
type Verdict = 'holds' | 'does not hold' | 'not measured';

/** A claim as claims.ts states them (declared here too: claims.ts imports this file). */
export interface AutoscalingClaim {
  id: 'autoscaling';
  statement: string;
  verdict: Verdict;
  evidence: string[];
  runs: string[];
  howToMeasure?: string;
}

const STATEMENT = `Wasm scales out instantly under a spike: when ${BURST_SIZE} new tenants are started at once, every Wasm tenant's first response arrives within ${WASM_BURST_P99_MS} ms of the burst (p99) while the fastest container variant measured needs at least ${CONTAINER_BURST_P99_MS / 1000} s (p99), and the Wasm runtime sustains at least ${RATE_FACTOR}× the start rate of the container variant that sustains the most (the highest rate at which starts do not queue).`;

const HOW_TO_MEASURE = `the burst measurement with bursts of ${BURST_SIZE} and a start rate (measurements.burst.startRate) on a container runtime and a Wasm runtime: scenarios/burst.yaml`;

interface Judged {
  runId: string;
  wasm: RuntimeBursts;
  container: RuntimeBursts;
}

const at = (r: RuntimeBursts) => r.sizes.find((s) => s.size === BURST_SIZE);
const label = (r: RuntimeBursts) => runtimeLabel(r.identity);

/** The burst half: the Wasm runtime's p99 at K = 100 (no tenant failed), the container's. */
function burstHalf({ wasm, container }: Judged): { wasm: Part; container: Part; words: string[] } {
  const w = at(wasm)!;
  const c = at(container);
  const words: string[] = [];
  const wasmPart: Part = w.failed === 0 && w.p99 <= WASM_BURST_P99_MS ? 'holds' : 'fails';
  if (wasmPart === 'fails')
    words.push(
      w.failed > 0
        ? `the burst half fails on the Wasm side: ${w.failed} of ${label(wasm)}'s tenants did not answer`
        : `the burst half fails on the Wasm side: p99 ${formatMs(w.p99)} on ${label(wasm)}, not within ${WASM_BURST_P99_MS} ms`,
    );
  const containerPart: Part = !c ? 'unknown' : c.p99 >= CONTAINER_BURST_P99_MS || c.failed > 0 ? 'holds' : 'fails';
  if (containerPart === 'fails')
    words.push(
      `the burst half fails on the container side: ${label(container)} answered ${BURST_SIZE} with p99 ${formatMs(c!.p99)}, under ${CONTAINER_BURST_P99_MS / 1000} s`,
    );
  if (containerPart === 'unknown') words.push(`no container variant was measured at a burst of ${BURST_SIZE}`);
  return { wasm: wasmPart, container: containerPart, words };
}

/**
 * The rate half. A knee never overloaded is a lower bound: a Wasm one can show ≥ 10×, never less;
 * a container one can show nothing. A container overloaded at its lowest rate is below that rate.
 */
function rateHalf(wasm: Knee | undefined, container: Knee | undefined, names: { wasm: string; container: string }): { part: Part; words: string[] } {
  if (!wasm || !container) return { part: 'unknown', words: ['the start-rate half is not measured (no start rate on both)'] };
  if (container.brokeAt === undefined)
    return {
      part: 'unknown',
      words: [`the start-rate half is not measured: ${names.container} was never overloaded (${kneeWords(container)}), so its knee is only a lower bound`],
    };
  const containerKnee = container.sustained || container.brokeAt;
  const ratio = wasm.sustained / containerKnee;
  const figures = `${names.wasm} ${kneeWords(wasm)} against ${names.container} ${kneeWords(container)}`;
  if (ratio >= RATE_FACTOR) return { part: 'holds', words: [`start rate: ${figures} (≥ ${formatNumber(ratio)}×)`] };
  if (wasm.brokeAt === undefined)
    return {
      part: 'unknown',
      words: [`the start-rate half is not measured: ${figures}, and ${names.wasm} was never overloaded, so its knee is only a lower bound`],
    };
  return { part: 'fails', words: [`the start-rate half fails: ${figures} (${formatNumber(ratio)}×, not ${RATE_FACTOR}×)`] };
}

export function autoscalingClaim(results: RunResult[]): AutoscalingClaim {
  const evidence: string[] = [];
  const runs = new Set<string>();
  let holdsSomewhere = false;
  let failsSomewhere = false;
  for (const result of results) {
    const figures = burstFigures(result).filter((r) => !r.identity.emulated);
    for (const workload of [...new Set(figures.map((r) => r.workload))]) {
      const of = (family: string) => figures.filter((r) => r.workload === workload && runtimeFamily(result, r.identity.runtime) === family);
      const wasm = of('wasm').filter((r) => at(r));
      const containers = of('container');
      if (wasm.length === 0 || containers.length === 0) continue;
      // Judged against the fastest container variant at K = 100 (else any measured, for its start rate).
      const measured = containers.filter((c) => at(c));
      const fastest = measured.length ? measured.reduce((a, b) => (at(b)!.p99 < at(a)!.p99 ? b : a)) : containers[0]!;
      // The rate half against the container variant that sustained the highest start rate.
      const kneed = containers.filter((c) => c.knee);
      const quickest = kneed.length ? kneed.reduce((a, b) => (b.knee!.sustained > a.knee!.sustained ? b : a)) : fastest;
      runs.add(result.runId);
      for (const w of wasm) {
        const burst = burstHalf({ runId: result.runId, wasm: w, container: fastest });
        const rate = rateHalf(w.knee, quickest.knee, { wasm: label(w), container: label(quickest) });
        const parts = [burst.wasm, burst.container, rate.part];
        const verdict: Verdict = parts.includes('fails') ? 'does not hold' : parts.includes('unknown') ? 'not measured' : 'holds';
        holdsSomewhere ||= verdict === 'holds';
        failsSomewhere ||= verdict === 'does not hold';
        const c = at(fastest);
        const figuresWords = `${workload}, ${BURST_SIZE} at once: p99 ${formatMs(at(w)!.p99)} on ${label(w)} against ${c ? `p99 ${formatMs(c.p99)} on ${label(fastest)}, the fastest container` : `no burst of ${BURST_SIZE} on ${label(fastest)}`} (run ${result.runId})`;
        const why = [...burst.words, ...rate.words.filter((x) => verdict !== 'holds' || !x.startsWith('start rate:'))];
        evidence.push(`${verdict} for ${figuresWords}${verdict === 'holds' ? `; ${rate.words.join('; ')}` : `: ${why.join('; ')}`}`);
      }
    }
  }
  if (runs.size === 0) return { id: 'autoscaling', statement: STATEMENT, verdict: 'not measured', evidence, runs: [], howToMeasure: HOW_TO_MEASURE };
  const verdict: Verdict = holdsSomewhere ? 'holds' : failsSomewhere ? 'does not hold' : 'not measured';
  return {
    id: 'autoscaling',
    statement: STATEMENT,
    verdict,
    evidence,
    runs: [...runs],
    ...(verdict === 'not measured' ? { howToMeasure: HOW_TO_MEASURE } : {}),
  };
}
