// Latency histograms (HdrHistogram, µs): the passes of one quantity merge into one histogram, so a
// p99 over several passes or tenants is the p99 of all their requests, not a median of p99s.
import * as hdr from 'hdr-histogram-js';
import { type Identified, sameRuntime } from '../results/identity.js';
import type { LatencyHistogram } from '../results/types.js';

export interface MergedLatency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  'p99.9': number;
  max: number;
}

/** Merged percentiles in ms of every histogram given. */
export function mergeLatencies(encoded: string[]): MergedLatency | undefined {
  if (encoded.length === 0) return undefined;
  const merged = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  for (const text of encoded) merged.add(hdr.decodeFromCompressedBase64(text));
  const at = (p: number) => merged.getValueAtPercentile(p) / 1000;
  return { count: merged.totalCount, p50: at(50), p90: at(90), p99: at(99), 'p99.9': at(99.9), max: merged.maxValue / 1000 };
}

/** The merged latency of every pass of one workload, runtime (by identity: variant, arm, platform), tenant count and model. */
export function mergedFor(
  histograms: readonly LatencyHistogram[] | undefined,
  key: Identified & { workload: string; tenants: number; model?: string },
): MergedLatency | undefined {
  return mergeLatencies(
    (histograms ?? [])
      .filter((h) => h.workload === key.workload && sameRuntime(h, key) && h.tenants === key.tenants && h.model === key.model)
      .map((h) => h.encoded),
  );
}
