// Both Wasm hosts keep serving when a tenant traps, loops forever (C or JS) or grows its memory without
// end: the faulty request gets a 500 (by its deadline, or at its memory cap), the fault is counted for
// the host and the tenant, and the tenant serves its next request. On wasmtime and the V8 host's
// workers other tenants answer meanwhile; on the V8 host's shared thread they answer once the deadline
// stops the loop. Guest output is limited per tenant: one noisy tenant leaves the others their share.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
const MAX_MEMORY_MIB = 32;
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
      ({ host } = await WasmHostClient.start(`faults-${process.pid}`, { argv: testHost.argv(DEADLINE_MS, MAX_MEMORY_MIB) }));
      await host.addTenant({ id: 'faulty', component: fault.component!.sha256!, firstPath: '/' });
      await host.addTenant({ id: 'noisy-too', component: fault.component!.sha256!, firstPath: '/' });
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

    it('holds a request for a tenant being added until the add ends', async () => {
      // The add's first call loops until the deadline, so the add ends after DEADLINE_MS. A request
      // sent meanwhile waits for it (a 404 at once without the hold), then finds the tenant or not:
      // wasmtime refuses a tenant whose first call failed, the V8 host adds it with that answer.
      const adding = host.addTenant({ id: 'slow-add', component: fault.component!.sha256!, firstPath: '/loop' }).then(
        () => 'added',
        (error: Error) => error.message,
      );
      await sleep(DEADLINE_MS / 4);
      const started = performance.now();
      const held = await ask('slow-add', '/');
      const waited = performance.now() - started;
      const added = await adding;
      expect(waited).toBeGreaterThan(DEADLINE_MS / 2);
      if (added === 'added') expect(held).toEqual({ status: 200, body: 'ok\n' });
      else expect([added, held.status]).toEqual([expect.stringMatching(/deadline exceeded/), 404]);
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
      // wasmtime and the V8 host's workers never wait for the looping tenant; the shared thread waits for it only once.
      if (testHost.concurrent) expect(Math.max(...healthy)).toBeLessThan(DEADLINE_MS / 2);
      expect((await host.stats()).faults).toBe(before + 1);
      expect(await ask('faulty', '/')).toEqual({ status: 200, body: 'ok\n' });
    });

    it('stops a tenant that grows its memory without end at its cap, counts the fault for it, and keeps the others answering', async () => {
      const before = await host.stats();
      const grown = ask('faulty', '/grow');
      const healthy = await ask('healthy', '/');
      const answer = await grown;
      expect(answer.status).toBe(500);
      expect(answer.body).toBe(`tenant faulty: memory cap exceeded (${MAX_MEMORY_MIB} MiB)\n`);
      expect(healthy.status).toBe(200);
      const after = await host.stats();
      expect(after.faults).toBe(before.faults! + 1);
      expect(after.perTenant?.faulty?.faults).toBe((before.perTenant?.faulty?.faults ?? 0) + 1);
      expect(after.perTenant?.healthy).toBeUndefined();
      expect(after.maxMemoryBytes).toBe(MAX_MEMORY_MIB * 1048576);
      // Replaced by a fresh instance: it serves again, and every tenant's memory together is far below what it tried.
      expect(await ask('faulty', '/')).toEqual({ status: 200, body: 'ok\n' });
      expect(after.linearMemoryBytes).toBeLessThanOrEqual(4 * MAX_MEMORY_MIB * 1048576);
    });

    it("limits guest output per tenant: a noisy tenant's drops are its own, the next tenant still has its burst", async () => {
      expect(await ask('faulty', '/print')).toMatchObject({ status: 200 });
      expect(await ask('noisy-too', '/print')).toMatchObject({ status: 200 });
      const { perTenant } = await host.stats();
      // 64 KiB each against a burst of 8 KiB (refilled at 4 KiB/s): each tenant dropped about 56 KiB of
      // its own; with one bucket for the host the second would have dropped all 64 KiB.
      for (const id of ['faulty', 'noisy-too']) {
        expect(perTenant?.[id]?.outputDroppedBytes).toBeGreaterThan(40 * 1024);
        expect(perTenant?.[id]?.outputDroppedBytes).toBeLessThan(64 * 1024 - 4 * 1024);
      }
      expect(perTenant?.healthy).toBeUndefined();
      // Counted across a loop's end too (which replaces a V8 worker, and with it the count where the tenant runs).
      expect((await ask('faulty', '/loop')).status).toBe(500);
      expect(await ask('faulty', '/print')).toMatchObject({ status: 200 });
      const again = (await host.stats()).perTenant?.faulty?.outputDroppedBytes ?? 0;
      expect(again).toBeGreaterThan(perTenant!.faulty!.outputDroppedBytes + 40 * 1024);
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
