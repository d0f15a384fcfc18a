// Owns one run's results: everything a run records goes through these methods. Each record is
// appended to the journal at once (O(1), src/results/journal.ts); the results file is written
// whole, with summaries, by `save` (the runner calls it at the end of every unit) and `finish`.
// A run that stops half-way (error, Ctrl-C, crash, kill -9) keeps everything it recorded.

import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { summarize } from '../stats/summarize.js';
import { identityKey } from './identity.js';
import { type JournaledList, JournalWriter, journalPath } from './journal.js';
import { runtimeIdentity } from './sample.js';
import {
  type DensityRamp,
  type Fingerprint,
  type LatencyHistogram,
  type NoiseRecord,
  type RunResult,
  type RuntimeStatus,
  type Sample,
  SCHEMA_VERSION,
  type ScenarioRecord,
  type Warning,
} from './types.js';
import { writeJsonAtomic, writeJsonAtomicSync } from './write.js';

export interface RunStart {
  runId: string;
  fingerprint: Fingerprint;
  scenario: ScenarioRecord;
  runtimes: RuntimeStatus[];
}

type ArtifactRecord = RunResult['artifacts'][number];
/** What a warning about a runtime names it by: the driver, whose identity the warning then carries. */
type Driver = Parameters<typeof runtimeIdentity>[0];

export class ResultsRecorder {
  private readonly journal: JournalWriter;
  private readonly state: RunResult;
  /** Where each density ramp is in the list, by workload and runtime identity: it is recorded again after its teardown. */
  private readonly rampIndex = new Map<string, number>();

  private constructor(
    readonly file: string,
    start: RunStart,
  ) {
    this.state = {
      schemaVersion: SCHEMA_VERSION,
      ...start,
      status: 'running',
      startedAt: new Date().toISOString(),
      artifacts: [],
      samples: [],
      summaries: [],
      densityRamps: [],
      warnings: [],
    };
    this.journal = new JournalWriter(journalPath(file), { journal: 1, runId: start.runId, pid: process.pid });
  }

  /** Starts the journal, then writes the results file (status running) so it exists from the start. */
  static async start(file: string, start: RunStart): Promise<ResultsRecorder> {
    const recorder = new ResultsRecorder(file, start);
    await recorder.save();
    return recorder;
  }

  /** The results so far (read only: record through the methods). */
  get result(): Readonly<RunResult> {
    return this.state;
  }

  get running(): boolean {
    return this.state.status === 'running';
  }

  samples(samples: readonly Sample[]): void {
    this.append('samples', samples);
  }

  artifacts(record: ArtifactRecord): void {
    this.append('artifacts', [record]);
  }

  /** A density ramp when it ends, and the same ramp again when its teardown is done: it replaces the first. */
  ramp(ramp: DensityRamp): void {
    const key = `${ramp.workload}\0${identityKey(ramp)}`;
    const at = this.rampIndex.get(key);
    if (at === undefined) {
      this.rampIndex.set(key, this.state.densityRamps.length);
      this.append('densityRamps', [ramp]);
    } else this.put('densityRamps', at, [ramp]);
  }

  histogram(histogram: LatencyHistogram): void {
    this.append('latencyHistograms', [histogram]);
  }

  noise(record: NoiseRecord): void {
    this.append('noise', [record]);
  }

  /** A warning about the run, or about one runtime: given its driver, the warning carries `runtimeIdentity(driver)` (the runtime's name, never a label). */
  warn(warning: Warning, driver?: Driver): void {
    this.append('warnings', [driver ? { ...warning, ...runtimeIdentity(driver) } : warning]);
  }

  /** The runtimes of the scenario that are not available here, each as a warning with the reason. */
  skipped(statuses: readonly RuntimeStatus[]): void {
    for (const status of statuses.filter((s) => !s.available)) {
      this.append('warnings', [{ kind: 'runtime-skipped', runtime: status.runtime, message: `${status.runtime} is not available here: ${status.reason}` }]);
    }
  }

  /** Writes the results file whole, with summaries; the journal is then emptied. */
  async save(): Promise<void> {
    this.state.summaries = summarize(this.state.samples);
    await writeJsonAtomic(this.file, this.state);
    this.journal.empty();
  }

  async finish(status: RunResult['status']): Promise<void> {
    this.end(status);
    await this.save();
    this.journal.close();
    await rm(this.journal.file, { force: true });
  }

  /** For a process about to exit at once (a second Ctrl-C): interrupted, written synchronously and atomically. */
  finishNow(reason: string): void {
    if (!this.running) return;
    this.state.warnings.push({ kind: 'interrupted', message: reason });
    this.end('interrupted');
    this.state.summaries = summarize(this.state.samples);
    writeJsonAtomicSync(this.file, this.state);
    rmSync(this.journal.file, { force: true });
  }

  private end(status: RunResult['status']): void {
    this.state.status = status;
    this.state.finishedAt = new Date().toISOString();
  }

  private append(list: JournaledList, items: readonly unknown[]): void {
    this.put(list, (this.state[list] ?? []).length, items);
  }

  // In memory and in the journal alike; what is stored is a copy, so a caller's later change to
  // the object is recorded only when recorded again.
  private put(list: JournaledList, at: number, items: readonly unknown[]): void {
    if (items.length === 0) return;
    const copies = structuredClone(items) as unknown[];
    this.state[list] ??= [];
    const target = this.state[list] as unknown[];
    target.splice(at, copies.length, ...copies);
    this.journal.append({ list, at, items: copies });
  }
}
