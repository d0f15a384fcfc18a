// The native prober sends a Wasm host's add-tenant request itself, on a kept-alive control
// connection, and probes the new tenant at once: against the real hosts, a deploy then answers
// with the host's phases, a second deploy reuses the connection, and a refused deploy is named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeProber } from '../src/measure/native-prober.js';
import { WasmHostClient } from '../src/runtimes/wasm-host-client.js';
import type { AddTenantAnswer } from '../src/wasm-host/protocol.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { artifactsFor } from './helpers.js';
import { testHosts } from './wasm-hosts.js';

let hello: WorkloadArtifacts;

beforeAll(async () => {
  if (testHosts.some((h) => h.here)) hello = await artifactsFor('hello-c', ['wasmtime']);
}, 300_000);

for (const testHost of testHosts.filter((h) => h.name !== 'wasmtime host per-tenant')) {
  describe.skipIf(!testHost.here)(`the native prober deploying to the ${testHost.name}`, () => {
    let host: WasmHostClient;
    let prober: NativeProber;
    beforeAll(async () => {
      ({ host } = await WasmHostClient.start(`prober-deploy-${process.pid}`, { argv: testHost.argv(10_000) }));
      prober = await NativeProber.start(`prober-deploy-${process.pid}`);
    }, 120_000);
    afterAll(async () => {
      await prober?.close();
      await host?.stop();
    });

    it('adds a tenant and probes it in one step, twice on one connection', async () => {
      const expected = hello.workload.requests[0]!;
      for (const id of ['deployed-1', 'deployed-2']) {
        const request = host.addTenantRequest({ id, component: hello.component!.sha256!, firstPath: expected.path });
        const probe = await prober.deployAndProbe({ controlPort: host.port, request }, host.tenantUrl(id), expected, 10_000);
        const answer = JSON.parse(probe.answer) as AddTenantAnswer;
        expect(answer.id).toBe(id);
        expect(answer.phases.map((p) => p.phase)).toContain('instantiate');
        // The host stamps its reply on the machine's monotonic clock: the deploy is timed to it.
        expect(answer.repliedAtNs).toBeGreaterThan(0);
        expect(probe.deployMs).toBeGreaterThan(0);
        expect(probe.ms).toBeGreaterThan(probe.deployMs);
        console.log(`${testHost.name}: deploy ${probe.deployMs.toFixed(3)} ms, deploy to first response ${probe.ms.toFixed(3)} ms, ${probe.attempts} attempts`);
      }
      expect((await host.stats()).tenants).toBe(2);
      await host.removeTenant('deployed-1');
      await host.removeTenant('deployed-2');
    });

    it('names a deploy the host refuses', async () => {
      const request = host.addTenantRequest({ id: 'no-such', component: 'f'.repeat(64), firstPath: '/' });
      await expect(prober.deployAndProbe({ controlPort: host.port, request }, host.tenantUrl('no-such'), hello.workload.requests[0]!, 5000)).rejects.toThrow(
        /the deploy to 127\.0\.0\.1:\d+ failed: status 422/,
      );
    });
  });
}
