// Wasm services on the wasmtime host (wasmtime-services): the front may call exactly the URL
// prefixes it was granted. A front that calls a stage it was not granted fails that request with a
// clear status (502 naming the stage), the host counts the denied request for that tenant, and
// every other tenant keeps answering exactly; a front granted nothing reaches nothing.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { httpRequest } from '../src/http-client.js';
import { verifyDeployment } from '../src/measure/verify.js';
import { WasmHostClient } from '../src/runtimes/wasm-host-client.js';
import { wasmtimeHostArgv } from '../src/runtimes/wasmtime-build.js';
import { stageRequests } from '../src/runtimes/wasmtime-services-driver.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { buildWorkload } from '../src/workloads/build.js';
import { WorkloadSchema } from '../src/workloads/catalog.js';
import { artifactsFor, ROOT, runtimeAvailable } from './helpers.js';

const here = await runtimeAvailable('wasmtime-services');
const ORDER = JSON.stringify({ sku: 'SKU-7', qty: 3, priceCents: 1250 });
let artifacts: WorkloadArtifacts;
let host: WasmHostClient;

beforeAll(async () => {
  if (!here) return;
  artifacts = await artifactsFor('pipeline', ['wasmtime-services']);
  ({ host } = await WasmHostClient.start(`wasm-services-grants-${process.pid}`, {
    argv: wasmtimeHostArgv('per-tenant', 10_000),
  }));
}, 900_000); // the pipeline's components: JS stages componentized and compiled, minutes on a busy machine

afterAll(async () => {
  await host?.stop();
});

/** Adds one pipeline tenant's stages, then its front with `outgoing` in place of its grants (undefined: the real ones). */
async function addPipeline(id: string, outgoing?: (granted: string[]) => string[]) {
  const requests = stageRequests(artifacts.component!.services!, id, (t) => host.tenantUrl(t), artifacts.workload.requests[0]!.path);
  for (const stage of requests.stages) await host.addTenant(stage);
  const front = outgoing ? { ...requests.front, outgoing: outgoing(requests.front.outgoing!) } : requests.front;
  await host.addTenant(front);
  return { runtime: 'wasmtime-services', tenantId: id, baseUrl: host.tenantUrl(id), phases: [] };
}

const order = (baseUrl: string) => httpRequest(new URL(`${baseUrl}/order`), { method: 'POST', body: ORDER, timeoutMs: 15_000 });

describe.skipIf(!here)('Wasm services on the wasmtime host', () => {
  it('answer every declared request exactly when the front is granted its stages', async () => {
    const granted = await addPipeline('granted');
    expect(await verifyDeployment(artifacts.workload, granted)).toEqual([]);
  }, 300_000);

  it('deny a call outside the grants: 502 for that request, counted for that tenant, the others answer', async () => {
    // Granted check but not shape: the order passes check, then the call to shape is denied.
    const partial = await addPipeline('partial', (granted) => granted.slice(0, 1));
    const answer = await order(partial.baseUrl);
    expect([answer.status, answer.body]).toEqual([502, '{"error":"stage shape failed"}\n']);
    const stats = await host.stats();
    expect(stats.perTenant?.partial?.outgoingDenied).toBe(1);
    expect(stats.perTenant?.partial?.faults ?? 0).toBe(0);
    // The same front still answers what needs no stage, and the other pipeline everything.
    const front = artifacts.workload.requests[1]!;
    const alone = await httpRequest(new URL(partial.baseUrl + front.path), { method: 'POST', body: front.body, timeoutMs: 15_000 });
    expect([alone.status, alone.body]).toEqual([front.expect.status, front.expect.body]);
    expect(await verifyDeployment(artifacts.workload, { ...partial, tenantId: 'granted', baseUrl: host.tenantUrl('granted') })).toEqual([]);
  }, 300_000);

  it("reach nothing when granted nothing (path tricks: the host's grants.rs unit tests)", async () => {
    const none = await addPipeline('none', () => []);
    const denied = await order(none.baseUrl);
    expect([denied.status, denied.body]).toEqual([502, '{"error":"stage check failed"}\n']);
    const stats = await host.stats();
    expect(stats.perTenant?.none?.outgoingDenied).toBe(1);
    // The stages it could not reach still answer their own requests.
    const check = await httpRequest(new URL(`${host.tenantUrl('none.check')}/check`), { method: 'POST', body: 'sku=A-1;qty=1;price=5', timeoutMs: 15_000 });
    expect(check.status).toBe(200);
  }, 300_000);

  it("bound a granted call by what is left of the caller's deadline", async () => {
    // A stage that accepts the request and never answers, on a host whose deadline is 1 s: the
    // call fails inside the front just before the deadline (a reserve of a tenth is kept for the
    // front to answer: 502), not after the sender's own 600 s timeouts, nor as the host
    // abandoning the front at its deadline (500, a fault).
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const stage = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const { host: short } = await WasmHostClient.start(`wasm-services-deadline-${process.pid}`, {
      argv: wasmtimeHostArgv('per-tenant', 1000),
    });
    try {
      const services = artifacts.component!.services!;
      await short.addTenant({
        id: 'waits',
        component: services.front!,
        firstPath: '/health',
        outgoing: [`${stage}/`],
        env: { PIPELINE_CHECK_URL: stage, PIPELINE_SHAPE_URL: stage },
      });
      const started = performance.now();
      const answer = await order(short.tenantUrl('waits'));
      const ms = performance.now() - started;
      expect([answer.status, answer.body]).toEqual([502, '{"error":"stage check failed"}\n']);
      expect(ms).toBeGreaterThan(850); // it waited for the stage until the reserve; the 502 (not a 500 fault) says it ended before the deadline
      expect((await short.stats()).faults ?? 0).toBe(0);
    } finally {
      await short.stop();
      silent.closeAllConnections();
      silent.close();
    }
  }, 300_000);

  it('leave an ungranted tenant reaching nothing over HTTP: the harness port sees no connection', async () => {
    const dir = join(ROOT, 'test', 'data', 'workloads', 'fetch-js');
    const workload = { ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir };
    const fetcher = await buildWorkload(workload, new Set(['component']));
    let connections = 0;
    const harness = createServer((_req, res) => res.end('reached\n')).on('connection', () => connections++);
    await new Promise<void>((resolve) => harness.listen(0, '127.0.0.1', resolve));
    try {
      await host.addTenant({ id: 'ungranted', component: fetcher.component!.sha256!, firstPath: '/' });
      const port = (harness.address() as AddressInfo).port;
      const tried = await httpRequest(new URL(`${host.tenantUrl('ungranted')}/fetch?port=${port}`), { timeoutMs: 15_000 });
      // A GET's fetch rejects cleanly (a POST with a body aborted the instance: docs/composition.md).
      expect(tried).toEqual({ status: 200, body: expect.stringMatching(/^fetch rejected: /) });
      expect(connections).toBe(0);
      expect((await host.stats()).perTenant?.ungranted?.outgoingDenied).toBe(1);
      expect(await httpRequest(new URL(`${host.tenantUrl('ungranted')}/`), { timeoutMs: 15_000 })).toEqual({ status: 200, body: 'ok\n' });
    } finally {
      harness.close();
    }
  }, 300_000);

  it('refuse a bad grant with one line naming the field', async () => {
    const services = artifacts.component!.services!;
    await expect(host.addTenant({ id: 'bad-grant', component: services.front!, firstPath: '/', outgoing: ['ftp://127.0.0.1/'] })).rejects.toThrow(
      /outgoing: "ftp:\/\/127\.0\.0\.1\/": the scheme must be http or https/,
    );
    await expect(host.addTenant({ id: 'bad-env', component: services.front!, firstPath: '/', env: { 'A=B': 'x' } })).rejects.toThrow(/env: "A=B"/);
  });
});
