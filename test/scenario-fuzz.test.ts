// Malformed scenarios, generated with a seed (test/scenario-fuzz.ts): 400 through the loader in
// process and 30 through the CLI. Every one is refused with one short line (exit 2 from the CLI),
// no stack trace, no raw control characters, in bounded CPU time, and nothing starts.

import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { loadScenario } from '../src/scenario/load.js';
import { runCli, tempDir } from './helpers.js';
import { CATEGORIES, malformedScenarios } from './scenario-fuzz.js';

const SEED = 20261126;
// One line, of bounded length, printable: what a terminal can show without being steered.
const ONE_SHORT_LINE = /^[^\u0000-\u001f\u007f]{1,600}$/;

describe('malformed scenarios (seeded fuzz)', () => {
  it('the loader refuses 400 of them, each with one short printable line, each in bounded time', async () => {
    const dir = await tempDir();
    const misbehaved: string[] = [];
    const cases = malformedScenarios(SEED, 400);
    for (const [i, c] of cases.entries()) {
      const file = join(dir, `case-${i}.yaml`);
      await writeFile(file, c.text);
      // CPU time, not wall time: on a busy machine the wall clock counts other processes' turns.
      const started = process.cpuUsage();
      const outcome = await loadScenario(file).then(
        () => 'accepted',
        (error: unknown) => error,
      );
      const used = process.cpuUsage(started);
      const ms = (used.user + used.system) / 1000;
      if (!(outcome instanceof UserError))
        misbehaved.push(`#${i} ${c.category}: ${outcome instanceof Error ? `${outcome.name}: ${outcome.message.slice(0, 120)}` : String(outcome)}`);
      else if (!ONE_SHORT_LINE.test(outcome.message))
        misbehaved.push(`#${i} ${c.category}: not one short printable line: ${JSON.stringify(outcome.message.slice(0, 200))}`);
      // What it guards against is the 15-25 s of a quadratic key check.
      else if (ms > 5000) misbehaved.push(`#${i} ${c.category}: took ${Math.round(ms)} ms of CPU`);
    }
    expect(new Set(cases.map((c) => c.category))).toEqual(new Set(CATEGORIES));
    expect(misbehaved).toEqual([]);
  }, 120_000);

  it('the CLI refuses 30 of them with exit 2 and one line on stderr, and starts nothing', async () => {
    const dir = await tempDir();
    const out = join(dir, 'results');
    const misbehaved: string[] = [];
    for (const [i, c] of malformedScenarios(SEED + 1, 30).entries()) {
      const file = join(dir, `cli-${i}.yaml`);
      await writeFile(file, c.text);
      const result = await runCli(['run', file, '--out', out]);
      const stderr = result.stderr.replace(/\n$/, '');
      if (result.code !== 2 || !ONE_SHORT_LINE.test(stderr) || result.stdout !== '') {
        misbehaved.push(
          `#${i} ${c.category}: exit ${result.code}, stderr ${JSON.stringify(result.stderr.slice(0, 200))}, stdout ${JSON.stringify(result.stdout.slice(0, 100))}`,
        );
      }
    }
    expect(misbehaved).toEqual([]);
    expect(await readdir(out).catch(() => [])).toEqual([]); // no results file: nothing ran
  }, 300_000);
});
