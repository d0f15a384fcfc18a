// The measurement registry, the one list of kinds: each is a read side (`<kind>-read.ts`, loaded
// here) and a runner (`<kind>.ts`, loaded only when a run measures). The scenario schema, `run`,
// reports and `compare` all loop over it.

import type { SampleKey } from '../results/types.js';
import { burst } from './burst-read.js';
import { capabilities } from './capabilities-read.js';
import { coldstart } from './coldstart-read.js';
import { density } from './density-read.js';
import { hops } from './hops-read.js';
import { load } from './load-read.js';
import { micro } from './micro-read.js';
import { soak } from './soak-read.js';
import { type MeasurementKind, withRunner } from './types.js';

const KINDS: MeasurementKind<any>[] = [
  withRunner(coldstart, async () => (await import('./coldstart.js')).coldstartRunner),
  withRunner(load, async () => (await import('./load.js')).loadRunner),
  withRunner(density, async () => (await import('./density.js')).densityRunner),
  withRunner(micro, async () => (await import('./micro.js')).microRunner),
  withRunner(capabilities, async () => (await import('./capabilities.js')).capabilitiesRunner),
  withRunner(hops, async () => (await import('./hops.js')).hopsRunner),
  withRunner(soak, async () => (await import('./soak.js')).soakRunner),
  withRunner(burst, async () => (await import('./burst.js')).burstRunner),
];

export function measurementKinds(): readonly MeasurementKind<any>[] {
  return KINDS;
}

/** The kind that owns samples with this `measurement` value. */
export function kindOf(measurement: string): MeasurementKind<any> | undefined {
  return KINDS.find((k) => k.owns.includes(measurement));
}

/** What `compare` may judge, and which direction is better: asked of the kind that owns the sample. */
export function judge(sample: SampleKey) {
  return kindOf(sample.measurement)?.read.judge(sample);
}
