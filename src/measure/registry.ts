// The measurement registry: every kind is one file in this folder exporting a MeasurementKind,
// and one line here. The scenario schema, `run`, reports and `compare` all loop over it.

import type { SampleKey } from '../results/types.js';
import { capabilities } from './capabilities.js';
import { coldstart } from './coldstart.js';
import { density } from './density.js';
import { load } from './load.js';
import { micro } from './micro.js';
import type { MeasurementKind } from './types.js';

const KINDS: MeasurementKind<any>[] = [coldstart, load, density, micro, capabilities];

export function measurementKinds(): readonly MeasurementKind<any>[] {
  return KINDS;
}

/** The kind that owns samples with this `measurement` value. */
export function kindOf(measurement: string): MeasurementKind<any> | undefined {
  return KINDS.find((k) => k.owns.includes(measurement));
}

/** What `compare` may judge, and which direction is better: asked of the kind that owns the sample. */
export function judge(sample: SampleKey) {
  return kindOf(sample.measurement)?.judge(sample);
}
