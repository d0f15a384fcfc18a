// The one way samples are made: a context (scenario, workload, runtime, variant) plus what was
// measured. Optional fields that do not apply are left out of the file, not written as null.

import { hostArch, type Platform } from '../runtimes/platform.js';
import type { RuntimeIdentity, Sample } from './types.js';

export interface SampleContext {
  scenario: string;
  workload: string;
  runtime: string | null;
  variant?: string;
  arm?: string;
  arch: string;
  emulated: boolean;
}

/** A driver's identity, with its platform always known (the machine's own when it names none). */
export type DriverIdentity = RuntimeIdentity & { arch: string; emulated: boolean };

/** The one identity samples, density ramps and latency histograms carry, so they match one another. */
export function runtimeIdentity(driver: { name: string; variant?: string; arm?: string; platform?: Platform }): DriverIdentity {
  return {
    runtime: driver.name,
    ...(driver.variant ? { variant: driver.variant } : {}),
    ...(driver.arm ? { arm: driver.arm } : {}),
    arch: driver.platform?.arch ?? hostArch(),
    emulated: driver.platform?.emulated ?? false,
  };
}

/** The context of a runtime's samples, for one workload. */
export function driverContext(
  scenario: string,
  workload: string,
  driver: { name: string; variant?: string; arm?: string; platform?: Platform },
): SampleContext {
  return { scenario, workload, ...runtimeIdentity(driver) };
}

/** A tenant id naming the workload and the driver (with its variant and arm), plus a suffix. */
export function tenantIdFor(workload: string, driver: { name: string; variant?: string; arm?: string }, suffix: string): string {
  return [workload, driver.name, driver.variant, driver.arm, suffix].filter((part) => part !== undefined).join('-');
}

export type SampleFields = Omit<Sample, keyof SampleContext>;

export function makeSample(context: SampleContext, fields: SampleFields): Sample {
  const sample = { ...context, ...fields } as Sample;
  for (const key of Object.keys(sample) as (keyof Sample)[]) {
    if (sample[key] === undefined) delete sample[key];
  }
  return sample;
}

/** The context of a harness sample that belongs to no workload and no runtime (the prober's floor). */
export function harnessContext(scenario: string): SampleContext {
  return { scenario, workload: '-', runtime: null, arch: hostArch(), emulated: false };
}
