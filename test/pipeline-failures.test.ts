// What one failing stage does in each deployment of the pipeline (docs/composition.md, "What
// composition gives up"): the C stage traps on sku "TRAP". The request that hit it fails with a
// clear status, and the other tenant keeps answering exactly. As services, the front answers 502
// and keeps answering what needs no check (Wasm services: the trapped stage answers again, from a
// fresh instance); composed, the whole instance traps (the host answers
// 500) and the tenant answers again; linked, the one process is the failure domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http-client.js';
import { untilAnswering } from '../src/measure/probe-tenant.js';
import { verifyDeployment } from '../src/measure/verify.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { artifactsFor, driversFor, runtimeAvailable } from './helpers.js';

const TRAP = JSON.stringify({ sku: 'TRAP', qty: 1, priceCents: 1 });
/** What the request that reached the trapping stage gets, by runtime; undefined: no answer at all (the process died). */
const CANDIDATES: Record<string, { status?: number; body?: string; sameTenantAnswers: 'pipeline' | 'front' | 'nothing' }> = {
  'process-services': { status: 502, body: '{"error":"stage check failed"}\n', sameTenantAnswers: 'front' },
  // The trapping stage is a tenant of its own: the host answers the front 500, and the stage's next request gets a fresh instance.
  'wasmtime-services': { status: 502, body: '{"error":"stage check failed"}\n', sameTenantAnswers: 'pipeline' },
  wasm: { status: 500, sameTenantAnswers: 'pipeline' },
  process: { sameTenantAnswers: 'nothing' },
};
const runtimes: string[] = [];
for (const name of Object.keys(CANDIDATES)) if (await runtimeAvailable(name)) runtimes.push(name);
const runId = `pipeline-failures-${process.pid}`;
let artifacts: WorkloadArtifacts;
let drivers: RuntimeDriver[];

beforeAll(async () => {
  artifacts = await artifactsFor('pipeline', runtimes);
  drivers = await driversFor(runtimes, runId);
}, 900_000); // the composed component: two JS stages componentized, minutes on a busy machine

afterAll(async () => {
  await Promise.all((drivers ?? []).map((d) => d.dispose()));
});

async function send(baseUrl: string, path: string, body?: string) {
  return httpRequest(new URL(baseUrl + path), { method: body === undefined ? 'GET' : 'POST', body, timeoutMs: 10_000 }).catch((error: Error) => ({
    status: 0,
    body: error.message,
  }));
}

describe.each(runtimes)('a trapping stage on %s', (runtime) => {
  it('fails that request with a clear status and leaves the other tenant answering exactly', async () => {
    const driver = drivers.find((d) => d.name === runtime)!;
    const expected = CANDIDATES[runtime]!;
    const first = artifacts.workload.requests[0]!;
    await driver.prepare?.(artifacts);
    const a = await driver.deploy(artifacts, 'trap-a');
    const b = await driver.deploy(artifacts, 'trap-b');
    try {
      for (const d of [a, b]) await untilAnswering(d, first, 30_000);
      const trapped = await send(a.baseUrl, '/order', TRAP);
      if (expected.status === undefined) expect(trapped.status).toBe(0);
      else expect(trapped.status).toBe(expected.status);
      if (expected.body) expect(trapped.body).toBe(expected.body);
      expect(await verifyDeployment(artifacts.workload, b)).toEqual([]);
      const front = artifacts.workload.requests[1]!;
      const again = expected.sameTenantAnswers === 'pipeline' ? first : front;
      const answer = await send(a.baseUrl, again.path, again.body);
      if (expected.sameTenantAnswers === 'nothing') expect(answer.status).toBe(0);
      else expect([answer.status, answer.body]).toEqual([again.expect.status, again.expect.body]);
    } finally {
      await driver.teardown(a);
      await driver.teardown(b);
    }
  }, 120_000);
});
