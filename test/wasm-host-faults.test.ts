// Both Wasm hosts keep serving when a tenant traps or loops forever (C or JS): the faulty request gets a 500
// by its deadline, the fault is counted, and the tenant serves its next request. On wasmtime other
// tenants answer meanwhile; the V8 host has one thread, so they answer once the deadline stops the loop.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { httpRequest } from '../src/http-client.js';
import { WasmHostClient } from '../src/runtimes/wasm-host-client.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { buildWorkload } from '../src/workloads/build.js';
import { type Workload, WorkloadSchema } from '../src/workloads/catalog.js';
import { artifactsFor, ROOT } from './helpers.js';
import { testHosts } from './wasm-hosts.js';

const DEADLINE_MS = 1000;
let fault: WorkloadArtifacts;
let loopJs: WorkloadArtifacts;
let hello: WorkloadArtifacts;

async function fixture(name: string): Promise<WorkloadArtifacts> {
  const dir = join(ROOT, 'test', 'data', 'workloads', name);
  const workload: Workload = { ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir };
  return buildWorkload(workload, new Set(['component']));
}

beforeAll(async () => {
  if (!testHosts.some((h) => h.here)) return;
  fault = await fixture('fault-c');
  loopJs = await fixture('loop-js');
  hello = await artifactsFor('hello-c', ['wasmtime']);
}, 300_000);

for (const testHost of testHosts) {
  describe.skipIf(!testHost.here)(`the ${testHost.name} under faults`, () => {
    let host: WasmHostClient;
    beforeAll(async () => {
      ({ host } = await WasmHostClient.start(`faults-${process.pid}`, { argv: testHost.argv(DEADLINE_MS) }));
      await host.addTenant({ id: 'faulty', component: fault.component!.sha256!, firstPath: '/' });
      await host.addTenant({ id: 'healthy', component: hello.component!.sha256!, firstPath: '/' });
      await host.addTenant({ id: 'looping-js', component: loopJs.component!.sha256!, firstPath: '/' });
    }, 120_000);
    afterAll(async () => {
      await host?.stop();
    });

    const ask = (tenant: string, path: string) => httpRequest(new URL(host.tenantUrl(tenant) + path), { timeoutMs: 10_000 });

    it('answers a trap with a 500 naming the tenant, counts it, and serves the tenant again afterwards', async () => {
      const before = (await host.stats()).faults!;
      const trap = await ask('faulty', '/trap');
      expect(trap.status).toBe(500);
      expect(trap.body).toMatch(/^tenant faulty: trap/);
      expect((await host.stats()).faults).toBe(before + 1);
      expect(await ask('faulty', '/')).toEqual({ status: 200, body: 'ok\n' });
    });

    it('stops a loop at the deadline, keeps the other tenant answering, and counts the fault', async () => {
      const before = (await host.stats()).faults!;
      const loop = ask('faulty', '/loop');
      const healthy: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        expect(await ask('healthy', '/')).toMatchObject({ status: 200 });
        healthy.push(performance.now() - started);
      }
      const looped = await loop;
      expect(looped.status).toBe(500);
      expect(looped.body).toMatch(/^tenant faulty: deadline exceeded/);
      // wasmtime never waits for the looping tenant; the V8 host waits for it only once.
      if (testHost.concurrent) expect(Math.max(...healthy)).toBeLessThan(DEADLINE_MS / 2);
      expect((await host.stats()).faults).toBe(before + 1);
      expect(await ask('faulty', '/')).toEqual({ status: 200, body: 'ok\n' });
    });

    it("stops a JS guest's loop (SpiderMonkey in the component) as well, and serves it again afterwards", async () => {
      const before = (await host.stats()).faults!;
      const looped = await ask('looping-js', '/loop');
      expect(looped.status).toBe(500);
      expect(looped.body).toMatch(/^tenant looping-js: deadline exceeded/);
      expect((await host.stats()).faults).toBe(before + 1);
      expect(await ask('looping-js', '/')).toEqual({ status: 200, body: 'ok\n' });
      expect(await ask('healthy', '/')).toMatchObject({ status: 200 });
    });
  });
}
