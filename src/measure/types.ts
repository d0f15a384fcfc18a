// The contract of a measurement kind, in two halves. The read side (a `<kind>-read.ts` file:
// its settings, tables, charts, what to judge, sentences) is pure and is all that `report`,
// `compare` and the claims load; the runner (`<kind>.ts`: deploys, measures, records samples) is
// loaded only when a run measures, as drivers are (src/measure/registry.ts pairs the two).

import type { TopLevelSpec } from 'vega-lite';
import type { z } from 'zod';
import type { Identified } from '../results/identity.js';
import type { DensityRamp, LatencyHistogram, RunResult, Sample, SampleKey, Summary, Warning } from '../results/types.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { HostReaders } from '../sys/host.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Workload } from '../workloads/catalog.js';

export interface RunLevelContext<Options> {
  scenario: string;
  runId: string;
  options: Options;
  signal: AbortSignal;
}

export interface MeasureContext<Options> {
  scenario: string;
  runId: string;
  artifacts: WorkloadArtifacts;
  /** Verified drivers, ready for this workload. */
  drivers: RuntimeDriver[];
  options: Options;
  signal: AbortSignal;
  /** Records samples at once, in O(1): appended to the results file's journal; the file is written whole after every unit. */
  onSamples(samples: Sample[]): Promise<void>;
  /** Records a ramp; recording it again (after its teardown) replaces it, matched by workload and runtime identity. */
  onRamp(ramp: DensityRamp): Promise<void>;
  onHistogram(histogram: LatencyHistogram): Promise<void>;
  /** Records a warning in the results (e.g. a reading that cannot be right, kept out of the figures). */
  onWarning(warning: Warning): Promise<void>;
  onProgress(line: string): void;
  /** CPUs of the load client, when servers and client are pinned apart. */
  clientCpus?: string;
  host: HostReaders;
}

export type Better = 'lower' | 'higher';

export interface ChartSpec {
  id: string;
  spec: TopLevelSpec;
}

export interface ReportTable {
  title: string;
  description: string;
  header: string[];
  rows: string[][];
}

/** A runtime that others are compared with: its name, variant and arm, on whichever platform (ratios are taken within one). */
export type Baseline = Pick<Identified, 'runtime' | 'variant' | 'arm'>;

/** How a kind's results read: pure functions of results files, with no driver, engine or process behind them. */
export interface MeasurementRead {
  /** Its part of the terminal summary after a run; undefined when there is nothing to show. */
  table(result: RunResult): string | undefined;
  /** Vega-Lite charts for reports; only those whose data is present. */
  charts(results: RunResult[]): ChartSpec[];
  /** Whether `compare` may judge this quantity, and which direction is better. */
  judge(sample: SampleKey): Better | undefined;
  /** Summaries for the report's headline table (all: the "every phase and metric" table). */
  summaryRows(result: RunResult, scope: 'headline' | 'all'): Summary[];
  /** Sentences for the report's "In words" section. */
  headlines(result: RunResult, options: { baseline?: Baseline }): string[];
  /** A table of its own for reports (e.g. outcomes that are not medians); undefined when there is nothing to show. */
  reportTable?(results: RunResult[]): ReportTable | undefined;
}

/** What a kind is, for scenarios and readers: its name, settings and the samples it owns, and its read side. */
export interface MeasurementDeclaration<Options = unknown> {
  name: string;
  summary: string;
  /** Its settings under `measurements.<name>` in a scenario. */
  options: z.ZodType<Options>;
  /** Sample `measurement` values it owns (its name, and e.g. "setup", "probe-floor"). */
  owns: readonly string[];
  /** Checks its settings against the scenario's workloads before anything starts; returns problems as `field: what was expected`. */
  checkWorkloads?(options: Options, workloads: Workload[]): string[];
  read: MeasurementRead;
}

/** How a kind measures. */
export interface MeasurementRunner<Options = unknown> {
  /** Once per run, before any workload (e.g. the prober's floor). */
  beforeRun?(context: RunLevelContext<Options>): Promise<Sample[]>;
  /** Measures one workload on the given drivers, saving samples as it goes. */
  run(context: MeasureContext<Options>): Promise<void>;
}

export interface MeasurementKind<Options = unknown> extends MeasurementDeclaration<Options> {
  /** The runner, loaded on use (drivers, engines and processes are imported there, not by readers). */
  runner(): Promise<MeasurementRunner<Options>>;
}

/** Helps TypeScript infer a kind's options type from its schema. */
export function defineMeasurement<Options>(declaration: MeasurementDeclaration<Options>): MeasurementDeclaration<Options> {
  return declaration;
}

/** Pairs a declaration with its runner, loaded on use; TypeScript checks that their options agree. */
export function withRunner<Options>(declaration: MeasurementDeclaration<Options>, runner: () => Promise<MeasurementRunner<Options>>): MeasurementKind<Options> {
  return { ...declaration, runner };
}
