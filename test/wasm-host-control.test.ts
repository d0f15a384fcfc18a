// The Wasm hosts' control API is closed: it needs the per-host secret the harness generates, and
// it loads only components from the artifact directory the host was started with, named by sha256.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http-client.js';
import { WasmHostClient } from '../src/runtimes/wasm-host-client.js';
import { CONTROL_SECRET_ENV, CONTROL_STATS, CONTROL_TENANTS } from '../src/wasm-host/protocol.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { publishComponent } from '../src/workloads/component-store.js';
import { artifactsFor } from './helpers.js';
import { testHosts } from './wasm-hosts.js';

let hello: WorkloadArtifacts;
let store: string;
let garbage: string;

beforeAll(async () => {
  if (!testHosts.some((h) => h.here)) return;
  hello = await artifactsFor('hello-c', ['wasmtime']);
  // A private store: hello-c under its real sha256, a file that is not a component under its own,
  // and hello-c's directory under a sha256 that is not its component's.
  store = await mkdtemp(join(tmpdir(), 'coldbench-store-'));
  await publishComponent(hello.component!.sha256!, dirname(hello.component!.wasm), store);
  const bytes = Buffer.from('not a component\n');
  garbage = createHash('sha256').update(bytes).digest('hex');
  await mkdir(join(store, garbage, 'transpiled'), { recursive: true });
  await writeFile(join(store, garbage, 'component.wasm'), bytes);
  await writeFile(join(store, garbage, 'transpiled', 'component.js'), 'export const notGlue = 1;\n');
}, 300_000);

afterAll(async () => {
  if (store) await rm(store, { recursive: true, force: true });
});

for (const testHost of testHosts.filter((h) => h.name !== 'wasmtime host per-tenant')) {
  describe.skipIf(!testHost.here)(`the ${testHost.name}'s control API`, () => {
    let host: WasmHostClient;
    beforeAll(async () => {
      ({ host } = await WasmHostClient.start(`control-${process.pid}`, { argv: testHost.argv(10_000), artifactsDir: store }));
      await host.addTenant({ id: 'resident', component: hello.component!.sha256!, firstPath: '/' });
    });
    afterAll(async () => {
      await host?.stop();
    });

    const control = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      httpRequest(new URL(host.controlUrl + path), {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const ask = (tenant: string) => httpRequest(new URL(`${host.tenantUrl(tenant)}/`));

    for (const [what, headers] of [
      ['without a secret', {}],
      ['with a wrong secret', { authorization: `Bearer ${'0'.repeat(64)}` }],
    ] as const) {
      it(`answers 401 ${what} and does nothing`, async () => {
        const add = await control('POST', CONTROL_TENANTS, headers, { id: 'intruder', component: hello.component!.sha256!, firstPath: '/' });
        expect(add.status).toBe(401);
        expect((await control('DELETE', `${CONTROL_TENANTS}/resident`, headers)).status).toBe(401);
        expect((await control('GET', CONTROL_STATS, headers)).status).toBe(401);
        expect((await ask('intruder')).status).toBe(404);
        expect((await ask('resident')).status).toBe(200);
        expect((await host.stats()).tenants).toBe(1);
      });
    }

    it('serves tenants without the secret', async () => {
      expect(await ask('resident')).toMatchObject({ status: 200 });
    });

    it('refuses a path, a traversal and a malformed or unknown component, registering nothing', async () => {
      const refused = [
        hello.component!.wasm,
        hello.component!.module,
        '/etc/passwd',
        '../../../../etc/passwd',
        `../${hello.component!.sha256!.slice(3)}`,
        hello.component!.sha256!.toUpperCase(),
        '',
      ];
      for (const [i, component] of refused.entries()) {
        await expect(host.addTenant({ id: `bad-${i}`, component, firstPath: '/' })).rejects.toThrow(/refused tenant bad-\d+: component: expected the sha256/);
      }
      await expect(host.addTenant({ id: 'unknown', component: 'f'.repeat(64), firstPath: '/' })).rejects.toThrow(
        `refused tenant unknown: no component ${'f'.repeat(64)} in the artifact directory`,
      );
      await expect(host.addTenant({ id: 'garbage', component: garbage, firstPath: '/' })).rejects.toThrow(/refused tenant garbage: /);
      for (const id of [...refused.map((_, i) => `bad-${i}`), 'unknown', 'garbage']) expect((await ask(id)).status).toBe(404);
      expect((await host.stats()).tenants).toBe(1);
    });

    it("adds, serves and removes a tenant named by its component's sha256", async () => {
      const added = await host.addTenant({ id: 'second', component: hello.component!.sha256!, firstPath: '/' });
      expect(added.firstStatus).toBe(200);
      expect((await ask('second')).status).toBe(200);
      await host.removeTenant('second');
      expect((await ask('second')).status).toBe(404);
    });

    it('refuses to start without the secret, in one line with exit code 2', () => {
      const [file, ...args] = testHost.argv(1000);
      const env = { ...process.env };
      delete env[CONTROL_SECRET_ENV];
      const run = spawnSync(file!, [...args, '--port', '1', '--artifacts', store], { env, encoding: 'utf8', timeout: 20_000 });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`the control secret is missing (environment variable ${CONTROL_SECRET_ENV})`)]);
    });
  });
}

describe.skipIf(!testHosts.find((h) => h.name.startsWith('wasmtime'))!.here)("the wasmtime host checks a component's sha256", () => {
  it('refuses a component.wasm whose sha256 is not its name', async () => {
    const wasmtime = testHosts.find((h) => h.name.startsWith('wasmtime'))!;
    const misnamed = 'e'.repeat(64);
    await publishComponent(misnamed, dirname(hello.component!.wasm), store);
    const { host } = await WasmHostClient.start(`control-${process.pid}`, { argv: wasmtime.argv(10_000), artifactsDir: store });
    try {
      await expect(host.addTenant({ id: 'misnamed', component: misnamed, firstPath: '/' })).rejects.toThrow(`does not have sha256 ${misnamed}`);
    } finally {
      await host.stop();
    }
  });
});
