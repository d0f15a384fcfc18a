// The runtimes' own floors beside coldbench's figures: once per workload, each driver that can
// (a Wasm host) instantiates the component back to back — bare and with a tenant's contexts — and
// after idle gaps. Recorded as `reference` samples, read back as one sentence per runtime that
// sets the cold-start `instantiate` phase beside them.
import { formatNumber } from '../format.js';
import { runtimeLabel, sameRuntime } from '../results/identity.js';
import { driverContext, makeSample } from '../results/sample.js';
import type { RunResult, Sample } from '../results/types.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import { times } from '../stats/compare.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';

export const REFERENCE_MEASUREMENT = 'reference';

/** The reference samples of every driver that has the capability, for one workload. */
export async function referenceSamples(drivers: RuntimeDriver[], artifacts: WorkloadArtifacts, scenario: string): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const driver of drivers) {
    if (!driver.reference) continue;
    const context = driverContext(scenario, artifacts.workload.name, driver);
    for (const series of await driver.reference(artifacts)) {
      samples.push(
        ...series.ms.map((value, iteration) =>
          makeSample(context, { measurement: REFERENCE_MEASUREMENT, tenants: 0, iteration, phase: series.phase, metric: 'duration', unit: 'ms', value }),
        ),
      );
    }
  }
  return samples;
}

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
