// Capability probes on real runtimes: the capability-probe workload, deployed on the V8 Wasm host
// and on wasmtime (real components in real hosts), reaches nothing of the host; as a process it
// reaches what a process of the harness's user can. And in the V8 host a JS `fetch` is refused
// as an error the guest sees, not a trap: the tenant keeps answering.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { httpRequest } from '../src/http-client.js';
import { capabilitiesRunner, type ProbeRecord, probeRuntime } from '../src/measure/capabilities.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { buildWorkload } from '../src/workloads/build.js';
import { WorkloadSchema } from '../src/workloads/catalog.js';
import { artifactsFor, collectingContext, driversFor, ROOT, runtimeAvailable } from './helpers.js';

const BUILD_MS = 300_000;
const runId = `capabilities-test-${process.pid}`;
const signal = new AbortController().signal;
const drivers: RuntimeDriver[] = [];
const wasmtimeHere = await runtimeAvailable('wasmtime');

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
});

async function probeOn(runtime: string, settings: Record<string, unknown> = {}): Promise<Record<string, number | string>> {
  const [driver] = await driversFor([runtime], runId, settings);
  drivers.push(driver!);
  const artifacts = await artifactsFor('capability-probe', [runtime]);
  await driver!.prepare?.(artifacts);
  const records: ProbeRecord[] = await probeRuntime(driver!, artifacts, 15_000, signal);
  return Object.fromEntries(records.map((r) => [r.probe, r.category ?? r.value]));
}

const NOTHING = {
  'env-vars': 0,
  'env-sentinel': 'refused',
  'read-etc-passwd': 'refused',
  'read-etc-shadow': 'refused',
  'read-harness-file': 'refused',
  'write-tmp': 'refused',
  'write-root': 'refused',
  'write-harness-dir': 'refused',
  'connect-harness': 'not-available',
};

describe('a Wasm tenant reaches nothing of the host', () => {
  it(
    "in the V8 host: no environment, no files, no writes, no sockets (a C program's getenv and fopen run and find nothing)",
    async () => {
      expect(await probeOn('wasm')).toEqual(NOTHING);
    },
    BUILD_MS,
  );

  it.skipIf(!wasmtimeHere)(
    'on the wasmtime host (needs it built)',
    async () => {
      expect(await probeOn('wasmtime', { wasmtime: { instanceModels: ['per-tenant'] } })).toEqual(NOTHING);
    },
    BUILD_MS,
  );
});

describe("a process tenant reaches what the harness's user can", () => {
  it(
    "the harness's environment (the sentinel too), its files, writes and its TCP port",
    async () => {
      const seen = await probeOn('process');
      const root = process.getuid?.() === 0;
      expect(seen).toEqual({
        'env-vars': expect.any(Number),
        'env-sentinel': 'reached',
        'read-etc-passwd': 'reached',
        'read-etc-shadow': root ? 'reached' : 'refused',
        'read-harness-file': 'reached',
        'write-tmp': 'reached',
        'write-root': root ? 'reached' : 'refused',
        'write-harness-dir': 'reached',
        'connect-harness': 'reached',
      });
      expect(seen['env-vars']).toBeGreaterThanOrEqual(Object.keys(process.env).length);
    },
    BUILD_MS,
  );

  it(
    'the measurement records one sample per probe for each runtime, and skips other workloads',
    async () => {
      const [driver] = await driversFor(['process'], runId);
      drivers.push(driver!);
      const probe = await artifactsFor('capability-probe', ['process']);
      const { context, samples } = collectingContext({ timeoutMs: 15_000 }, probe, [driver!]);
      await capabilitiesRunner.run(context);
      expect(samples.map((s) => [s.measurement, s.workload, s.runtime, s.metric, s.unit])).toContainEqual([
        'capabilities',
        'capability-probe',
        'process',
        'connect-harness',
        'category',
      ]);
      expect(samples).toHaveLength(9);
      const other = collectingContext({ timeoutMs: 15_000 }, await artifactsFor('hello-c', ['process']), [driver!]);
      await capabilitiesRunner.run(other.context);
      expect(other.samples).toEqual([]);
    },
    BUILD_MS,
  );
});

describe('outgoing HTTP in the V8 host', () => {
  let driver: RuntimeDriver;
  beforeAll(async () => {
    [driver] = (await driversFor(['wasm'], runId)) as [RuntimeDriver];
    drivers.push(driver);
  });

  it(
    'a JS fetch rejects (HTTP-request-denied), and the tenant keeps answering',
    async () => {
      const dir = join(ROOT, 'test', 'data', 'workloads', 'fetch-js');
      const workload = { ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir };
      const artifacts = await buildWorkload(workload, new Set(['component']));
      await driver.prepare?.(artifacts);
      const deployment = await driver.deploy(artifacts, 'fetch-js');
      const ask = (path: string) => httpRequest(new URL(deployment.baseUrl + path), { timeoutMs: 10_000 });
      const first = await ask('/fetch');
      // StarlingMonkey turns every error-code into one message: "fetch_https: An error occurred while using the host API."
      expect(first).toEqual({ status: 200, body: expect.stringMatching(/^fetch rejected: .*host API/) });
      expect(await ask('/fetch')).toEqual(first);
      expect(await ask('/')).toEqual({ status: 200, body: 'ok\n' });
      await driver.teardown(deployment);
    },
    BUILD_MS,
  );
});
