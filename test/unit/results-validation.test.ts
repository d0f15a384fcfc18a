// report, compare and claims read results files through one check: anything malformed is one line
// naming the file and the field, never a TypeError from deep inside a chart.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readResults } from '../../src/results/read.js';
import { tempDir } from '../basics.js';
import { syntheticResult, writeResult } from '../fixtures.js';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BROKEN: [string, (r: Mutable) => void, string][] = [
  [
    'a sample value that is a string',
    (r) => {
      r.samples[3].value = '9';
    },
    'samples.3.value',
  ],
  [
    'a sample without a metric',
    (r) => {
      delete r.samples[0].metric;
    },
    'samples.0.metric',
  ],
  [
    'an unknown load model',
    (r) => {
      r.samples.find((s: Mutable) => s.model).model = 'burst';
    },
    'samples.',
  ],
  [
    'an empty fingerprint',
    (r) => {
      r.fingerprint = {};
    },
    'fingerprint.hostname',
  ],
  [
    'an unknown status',
    (r) => {
      r.status = 'weird';
    },
    'status',
  ],
  [
    'warnings that are not a list',
    (r) => {
      r.warnings = 'x';
    },
    'warnings',
  ],
  [
    'a density ramp without its stop',
    (r) => {
      delete r.densityRamps[0].stop;
    },
    'densityRamps.0.stop',
  ],
  [
    'a stop of an unknown kind',
    (r) => {
      r.densityRamps[0].stop.kind = 'bored';
    },
    'densityRamps.0.stop.kind',
  ],
  [
    'a build with negative sizes',
    (r) => {
      r.artifacts[0].builds[1].sizes.component = -1;
    },
    'artifacts.0.builds.1.sizes.component',
  ],
  [
    'a noise record without its load average',
    (r) => {
      r.noise = [{ workload: 'w', measurement: 'm', seconds: 1, cores: 2, stealPercent: 0, busiestOthers: [], busy: false, reasons: [] }];
    },
    'noise.0.loadAverage',
  ],
  [
    'samples that are an object',
    (r) => {
      r.samples = {};
    },
    'samples',
  ],
];

describe('results files', () => {
  it.each(BROKEN)('refuses %s with one line naming the file and the field', async (_what, breakIt, field) => {
    const dir = await tempDir();
    const result = structuredClone(syntheticResult()) as Mutable;
    breakIt(result);
    const file = await writeResult(dir, 'broken.json', result);
    const error = await readResults(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message.startsWith(`${file}: ${field}`)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('accepts a well-formed file, and fields it does not know (written by later versions)', async () => {
    const dir = await tempDir();
    const result = { ...syntheticResult(), futureField: { anything: 1 } };
    result.samples[0] = { ...result.samples[0]!, arch: 'arm64' } as (typeof result.samples)[0];
    const read = await readResults(await writeResult(dir, 'fine.json', result));
    expect(read.samples.length).toBe(result.samples.length);
  });

  it('refuses what is not a regular file', async () => {
    const dir = await tempDir();
    await expect(readResults(dir)).rejects.toThrow(`${dir}: not a regular file`);
    await expect(readResults(join(dir, 'missing.json'))).rejects.toThrow(`${join(dir, 'missing.json')}: cannot read results (ENOENT)`);
  });
});
