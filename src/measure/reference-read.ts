// The read side of the runtimes' own floors (`reference` samples, recorded by reference.ts): one
// sentence per runtime that sets the cold-start `instantiate` phase beside them.
import { formatNumber } from '../format.js';
import { runtimeLabel, sameRuntime } from '../results/identity.js';
import type { RunResult } from '../results/types.js';
import { times } from '../stats/compare.js';

export const REFERENCE_MEASUREMENT = 'reference';

const µs = (ms: number) => `${formatNumber(ms * 1000)} µs`;

/** Where the difference between the cold-start figure and the warm one goes, when the figures say. */
function verdict(cold: number, warm: number, afterGap: number | undefined): string {
  if (cold <= 1.5 * warm) return ": cold starts instantiate at the warm path's speed";
  if (afterGap === undefined) return '';
  if (cold <= afterGap) return ': no slower than after an idle gap, so the difference is what an instantiation costs on a cold CPU, not the harness';
  return `: ${µs(cold - afterGap)} more than after an idle gap, which is the harness's or the machine's`;
}

/**
 * "hello-c on wasmtime (per-request): instantiate 118 µs in cold starts (median) against 19 µs back
 * to back with a tenant's contexts (6.2×), 12 µs bare, 125 µs after an idle gap: no slower than after an
 * idle gap, so the difference is what an instantiation costs on a cold CPU, not the harness."
 */
export function referenceSentences(result: RunResult): string[] {
  const sentences: string[] = [];
  const references = result.summaries.filter((s) => s.measurement === REFERENCE_MEASUREMENT);
  const cold = result.summaries.filter((s) => s.measurement === 'coldstart' && s.phase === 'instantiate');
  for (const instantiate of cold) {
    const mine = references.filter((s) => s.workload === instantiate.workload && sameRuntime(s, instantiate));
    const phase = (name: string) => mine.find((s) => s.phase === name);
    const contexts = phase('instantiate-contexts');
    if (!contexts) continue;
    const parts = [`${µs(contexts.median)} back to back with a tenant's contexts (${times(instantiate.median / contexts.median)})`];
    const bare = phase('instantiate-bare');
    if (bare) parts.push(`${µs(bare.median)} bare`);
    const gap = phase('instantiate-after-gap');
    if (gap) parts.push(`${µs(gap.median)} after an idle gap`);
    sentences.push(
      `${instantiate.workload} on ${runtimeLabel(instantiate)}: instantiate ${µs(instantiate.median)} in cold starts (median) against ${parts.join(', ')}${verdict(instantiate.median, contexts.median, gap?.median)}.`,
    );
  }
  return sentences;
}
