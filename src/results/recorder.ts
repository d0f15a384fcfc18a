// Holds one run's result and saves it after every change, so a run that stops half-way (error,
// Ctrl-C, crash) keeps everything it measured.

import { renameSync, writeFileSync } from 'node:fs';
import { summarize } from '../stats/summarize.js';
import type { RunResult, Sample, Warning } from './types.js';
import { writeJsonAtomic } from './write.js';

export class ResultsRecorder {
  constructor(
    readonly file: string,
    readonly result: RunResult,
  ) {}

  async save(): Promise<void> {
    this.result.summaries = summarize(this.result.samples);
    await writeJsonAtomic(this.file, this.result);
  }

  async add(samples: Sample[]): Promise<void> {
    this.result.samples.push(...samples);
    await this.save();
  }

  async warn(warning: Warning): Promise<void> {
    this.result.warnings.push(warning);
    await this.save();
  }

  async finish(status: RunResult['status']): Promise<void> {
    this.result.status = status;
    this.result.finishedAt = new Date().toISOString();
    await this.save();
  }

  /** For a process about to exit at once (a second Ctrl-C): interrupted, written synchronously and atomically. */
  finishNow(reason: string): void {
    if (this.result.status !== 'running') return;
    this.result.warnings.push({ kind: 'interrupted', message: reason });
    this.result.status = 'interrupted';
    this.result.finishedAt = new Date().toISOString();
    const tmp = `${this.file}.${process.pid}.now.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.result, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
