// Reference samples (a runtime's own instantiation floor) are recorded per driver that has the
// capability, and read back as one sentence that says where cold start's instantiate goes.
import { describe, expect, it } from 'vitest';
import { referenceSamples } from '../../src/measure/reference.js';
import { referenceSentences } from '../../src/measure/reference-read.js';
import { driverContext, makeSample } from '../../src/results/sample.js';
import type { RunResult, Sample } from '../../src/results/types.js';
import type { RuntimeDriver } from '../../src/runtimes/types.js';
import { summarize } from '../../src/stats/summarize.js';
import type { WorkloadArtifacts } from '../../src/workloads/artifacts.js';

const artifacts = { workload: { name: 'hello-c' } } as WorkloadArtifacts;
const driver = (name: string, reference?: RuntimeDriver['reference']) => ({ name, variant: 'per-request', reference }) as unknown as RuntimeDriver;

function resultWith(coldInstantiateMs: number[], samples: Sample[]): RunResult {
  const context = driverContext('s', 'hello-c', driver('wasmtime'));
  const cold = coldInstantiateMs.map((value, iteration) =>
    makeSample(context, { measurement: 'coldstart', tenants: 1, iteration, phase: 'instantiate', metric: 'duration', unit: 'ms', value }),
  );
  return { samples: [...cold, ...samples], summaries: summarize([...cold, ...samples]) } as RunResult;
}

describe('reference samples', () => {
  it('are taken from every driver that can, one sample per figure, under its identity', async () => {
    const withReference = driver('wasmtime', async () => [
      { phase: 'instantiate-bare', ms: [0.007, 0.008] },
      { phase: 'instantiate-contexts', ms: [0.009, 0.01] },
      { phase: 'instantiate-after-gap', ms: [0.08], gapMs: 100 },
    ]);
    const samples = await referenceSamples([withReference, driver('process')], artifacts, 's');
    expect(samples.map((s) => [s.measurement, s.runtime, s.variant, s.phase, s.iteration, s.value])).toEqual([
      ['reference', 'wasmtime', 'per-request', 'instantiate-bare', 0, 0.007],
      ['reference', 'wasmtime', 'per-request', 'instantiate-bare', 1, 0.008],
      ['reference', 'wasmtime', 'per-request', 'instantiate-contexts', 0, 0.009],
      ['reference', 'wasmtime', 'per-request', 'instantiate-contexts', 1, 0.01],
      ['reference', 'wasmtime', 'per-request', 'instantiate-after-gap', 0, 0.08],
    ]);
  });

  it('set cold start beside the floors and say where the difference goes', async () => {
    const samples = await referenceSamples(
      [
        driver('wasmtime', async () => [
          { phase: 'instantiate-bare', ms: [0.008, 0.008, 0.008] },
          { phase: 'instantiate-contexts', ms: [0.009, 0.009, 0.009] },
          { phase: 'instantiate-after-gap', ms: [0.085, 0.085, 0.085] },
        ]),
      ],
      artifacts,
      's',
    );
    expect(referenceSentences(resultWith([0.064, 0.065, 0.066], samples))).toEqual([
      "hello-c on wasmtime (per-request): instantiate 65 µs in cold starts (median) against 9 µs back to back with a tenant's contexts (7.2×), 8 µs bare, 85 µs after an idle gap: no slower than after an idle gap, so the difference is what an instantiation costs on a cold CPU, not the harness.",
    ]);
    expect(referenceSentences(resultWith([0.2, 0.2, 0.2], samples))[0]).toMatch(
      /: 115 µs more than after an idle gap, which is the harness's or the machine's\.$/,
    );
    expect(referenceSentences(resultWith([0.01, 0.01, 0.01], samples))[0]).toMatch(/: cold starts instantiate at the warm path's speed\.$/);
    expect(referenceSentences(resultWith([0.065], []))).toEqual([]);
  });
});
