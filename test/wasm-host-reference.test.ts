// Both Wasm hosts measure their own instantiation floor on request (POST /_control/reference):
// back to back bare, with a tenant's contexts, and after idle gaps; bad requests get one line.
import { describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http-client.js';
import { WasmHostClient } from '../src/runtimes/wasm-host-client.js';
import { CONTROL_REFERENCE } from '../src/wasm-host/protocol.js';
import { artifactsFor } from './helpers.js';
import { testHosts } from './wasm-hosts.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const testHost of testHosts.filter((h) => h.name !== 'wasmtime host per-tenant')) {
  describe.skipIf(!testHost.here)(`the ${testHost.name}'s reference operation`, () => {
    it('instantiates back to back, bare and with contexts, then after gaps, adding no tenant', async () => {
      const hello = await artifactsFor('hello-c', ['wasmtime', 'wasm']);
      const { host } = await WasmHostClient.start(`reference-${process.pid}`, { argv: testHost.argv(10_000) });
      try {
        const { series } = await host.reference({ component: hello.component!.sha256!, iterations: 30, gapMs: 20, gapIterations: 3 });
        expect(series.map((s) => [s.phase, s.ms.length, s.gapMs])).toEqual([
          ['instantiate-bare', 30, undefined],
          ['instantiate-contexts', 30, undefined],
          ['instantiate-after-gap', 3, 20],
        ]);
        for (const s of series) for (const ms of s.ms) expect(ms).toBeGreaterThan(0);
        // Well under a millisecond per instantiation for a C component, on either host.
        expect(median(series[1]!.ms)).toBeLessThan(5);
        expect((await host.stats()).tenants).toBe(0);
      } finally {
        await host.stop();
      }
    }, 300_000);

    it('answers a bad request with one line naming the field, and 401 without the secret', async () => {
      const { host } = await WasmHostClient.start(`reference-${process.pid}`, { argv: testHost.argv(10_000) });
      try {
        const sha = 'f'.repeat(64);
        const cases: [unknown, string][] = [
          [{ component: 'x' }, 'component: expected the sha256'],
          [{ component: sha, iterations: 0 }, 'iterations: expected 1 to 10000'],
          [{ component: sha, gapMs: 10_001 }, 'gapMs: expected 0 to 10000'],
          [{ component: sha, gapMs: 10_000, gapIterations: 13 }, 'gapMs x gapIterations'],
          [{ component: sha, extra: 1 }, 'unknown field'],
          [{ component: sha }, `no component ${sha} in the artifact directory`],
        ];
        for (const [body, message] of cases) {
          await expect(host.reference(body as never)).rejects.toThrow(message);
        }
        const open = await httpRequest(new URL(host.controlUrl + CONTROL_REFERENCE), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ component: sha }),
        });
        expect(open.status).toBe(401);
      } finally {
        await host.stop();
      }
    }, 60_000);
  });
}
