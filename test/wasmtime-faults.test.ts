// The wasmtime host keeps serving when a tenant traps or loops forever: the faulty request gets a
// 500 within its deadline, the fault is counted, and other tenants keep answering meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WorkloadSchema, type Workload } from '../src/workloads/catalog.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { WasmHostClient } from '../src/runtimes/wasm-host-client.js';
import { PRECOMPILED_DIR, WASMTIME_HOST_BIN } from '../src/runtimes/wasmtime-build.js';
import { httpRequest } from '../src/http-client.js';
import { ROOT, artifactsFor, runtimeAvailable } from './helpers.js';
import { buildWorkload } from '../src/workloads/build.js';

const here = await runtimeAvailable('wasmtime');
let artifacts: WorkloadArtifacts;

beforeAll(async () => {
  if (!here) return;
  const dir = join(ROOT, 'test', 'data', 'workloads', 'fault-c');
  const workload: Workload = { ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir };
  artifacts = await buildWorkload(workload, new Set(['component']));
}, 300_000);

describe.skipIf(!here)('the wasmtime host under faults (needs the wasmtime host built)', () => {
  for (const model of ['per-request', 'per-tenant']) {
    describe(model, () => {
      let host: WasmHostClient;
      beforeAll(async () => {
        ({ host } = await WasmHostClient.start(`faults-${process.pid}`, {
          argv: [WASMTIME_HOST_BIN, '--cache-dir', PRECOMPILED_DIR, '--instance-model', model, '--request-timeout-ms', '1000'],
        }));
        await host.addTenant({ id: 'faulty', artifact: artifacts.component!.wasm, firstPath: '/' });
        const hello = await artifactsFor('hello-c', ['wasmtime']);
        await host.addTenant({ id: 'healthy', artifact: hello.component!.wasm, firstPath: '/' });
      });
      afterAll(async () => {
        await host?.stop();
      });

      const ask = (tenant: string, path: string) => httpRequest(new URL(host.tenantUrl(tenant) + path), { timeoutMs: 10_000 });

      it('answers a trap with a 500 naming the tenant, and serves the tenant again afterwards', async () => {
        const trap = await ask('faulty', '/trap');
        expect(trap.status).toBe(500);
        expect(trap.body).toMatch(/^tenant faulty: trap/);
        expect(await ask('faulty', '/')).toEqual({ status: 200, body: 'ok\n' });
      });

      it('stops a loop at the deadline while another tenant keeps answering, and counts both faults', async () => {
        const before = (await host.stats()).faults ?? 0;
        const loop = ask('faulty', '/loop');
        const healthy: number[] = [];
        for (let i = 0; i < 10; i++) {
          const started = performance.now();
          expect(await ask('healthy', '/')).toMatchObject({ status: 200 });
          healthy.push(performance.now() - started);
        }
        const looped = await loop;
        expect(looped.status).toBe(500);
        expect(looped.body).toMatch(/deadline/);
        expect(Math.max(...healthy)).toBeLessThan(500); // never waited for the looping tenant
        expect((await host.stats()).faults).toBeGreaterThanOrEqual(before + 1);
        expect(await ask('faulty', '/')).toEqual({ status: 200, body: 'ok\n' });
      });

      it('refuses a file that is not a component with one line, and registers nothing', async () => {
        await expect(host.addTenant({ id: 'corrupt', artifact: join(ROOT, 'package.json'), firstPath: '/' })).rejects.toThrow(/refused tenant corrupt: /);
        expect((await ask('corrupt', '/')).status).toBe(404);
      });
    });
  }
});
