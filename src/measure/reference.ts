// The runtimes' own floors beside coldbench's figures: once per workload, each driver that can
// (a Wasm host) instantiates the component back to back — bare and with a tenant's contexts — and
// after idle gaps. Recorded as `reference` samples; reference-read.ts reads them back.
import { driverContext, makeSample } from '../results/sample.js';
import type { Sample } from '../results/types.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { REFERENCE_MEASUREMENT } from './reference-read.js';

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
