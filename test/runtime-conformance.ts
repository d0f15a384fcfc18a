// The conformance suite every runtime passes, against its real engine: deploys on 127.0.0.1,
// exact answers, independent tenants, CPU and memory readings, and nothing left after dispose.
// A runtime that is not available here skips every case, and the skipped name says why (or fails
// where it is required: test/availability.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http-client.js';
import { probeFirstResponse } from '../src/measure/probe.js';
import { verifyDeployment } from '../src/measure/verify.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { Deployment, RuntimeDescriptor, RuntimeDriver } from '../src/runtimes/types.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { skipReason, testable } from './availability.js';
import { artifactsFor, containersOfRun, processesOfRun } from './helpers.js';

export interface ConformanceOptions {
  /** How the case is named (a runtime may be tested under several settings). */
  label?: string;
  /** Scenario-level settings, e.g. { docker: { network: 'bridge' } }. */
  settings?: Record<string, unknown>;
  workload?: string;
}

export async function testRuntimeDriver(descriptor: RuntimeDescriptor<any>, options: ConformanceOptions = {}): Promise<void> {
  const label = options.label ?? descriptor.name;
  let availability = await descriptor.available();
  // A variant the settings ask for that does not work here (an OCI runtime, CRIU) skips the case
  // too, also where the runtime itself is required.
  if (testable(descriptor.name, availability) && descriptor.variantAvailable) {
    const parsed = descriptor.options?.parse(options.settings?.[descriptor.name]);
    for (const variant of descriptor.variants?.(parsed) ?? [undefined]) {
      const works = await descriptor.variantAvailable(parsed, variant);
      if (!works.available) availability = { ...works, reason: `${variant}: ${works.reason}` };
    }
  }
  if (!availability.available) {
    describe(`${label} driver`, () => {
      it.skip(skipReason(descriptor.name, availability), () => {});
    });
    return;
  }

  describe(`${label} driver`, () => {
    const runId = `conformance-${descriptor.name}-${process.pid}-${label.length}`;
    let drivers: RuntimeDriver[];
    let artifacts: WorkloadArtifacts;

    beforeAll(async () => {
      // Stage-services runtimes deploy pipelines only.
      artifacts = await artifactsFor(options.workload ?? (descriptor.stageServices ? 'pipeline' : 'hello'), [descriptor.name]);
      drivers = (await availableDrivers([descriptor.name], { runId }, options.settings ?? {}, () => {})).drivers;
    });
    afterAll(async () => {
      await Promise.all(drivers.map((d) => d.dispose()));
    });

    it('describes itself: a summary, the artifacts it needs and its phases', () => {
      expect(descriptor.summary.length).toBeGreaterThan(10);
      expect(descriptor.phases.length).toBeGreaterThan(0);
      expect(drivers.length).toBeGreaterThan(0);
      for (const driver of drivers) expect(driver.name).toBe(descriptor.name);
    });

    it('deploys independent tenants on 127.0.0.1 that answer exactly as declared', async () => {
      for (const driver of drivers) {
        await driver.prepare?.(artifacts);
        const a = await driver.deploy(artifacts, 'tenant-a');
        const b = await driver.deploy(artifacts, 'tenant-b');
        for (const d of [a, b]) {
          expect(new URL(d.baseUrl).hostname).toBe('127.0.0.1');
          expect(d.phases.length).toBeGreaterThan(0);
          for (const { phase, ms } of d.phases) {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(descriptor.phases).toContain(phase); // the registry knows every phase it reports
          }
          await probeFirstResponse(d.baseUrl, artifacts.workload.requests[0]!, 15000);
          expect(await verifyDeployment(artifacts.workload, d)).toEqual([]);
        }
        expect(a.baseUrl).not.toBe(b.baseUrl);
        await driver.teardown(a);
        expect(await answers(a, artifacts)).toBe(false);
        expect(await answers(b, artifacts)).toBe(true); // the other tenant keeps serving
        await driver.teardown(b);
      }
    });

    it('reads the CPU and memory of what serves its tenants', async () => {
      for (const driver of drivers) {
        const deployment = await driver.deploy(artifacts, 'tenant-measured');
        try {
          await probeFirstResponse(deployment.baseUrl, artifacts.workload.requests[0]!, 15000);
          // CPU time comes in clock ticks (10 ms): a tenant that only started may show 0.
          const cpu = await driver.cpuSeconds?.([deployment]);
          if (cpu !== undefined) {
            expect(Number.isFinite(cpu)).toBe(true);
            expect(cpu).toBeGreaterThanOrEqual(0);
          }
          const memory = (await driver.memory?.([deployment])) ?? [];
          expect(memory.length).toBeGreaterThan(0);
          for (const reading of memory) {
            expect(reading.method).toMatch(/^[a-z0-9+-]+$/);
            expect(reading.bytes).toBeGreaterThanOrEqual(0);
          }
          expect(memory.some((r) => r.bytes > 0)).toBe(true);
        } finally {
          await driver.teardown(deployment);
        }
      }
    });

    it('leaves no container or process behind after dispose', async () => {
      for (const driver of drivers) {
        await driver.deploy(artifacts, 'tenant-left-open');
        await driver.dispose();
        await driver.dispose(); // safe twice
      }
      expect(await processesOfRun(runId)).toBe(0);
      expect(await containersOfRun(runId)).toBe(0);
    });
  });
}

/** Whether the deployment answers its workload's first request as declared. */
async function answers(d: Deployment, artifacts: WorkloadArtifacts): Promise<boolean> {
  const { path, method, body, headers, expect: expected } = artifacts.workload.requests[0]!;
  try {
    return (await httpRequest(new URL(`${d.baseUrl}${path}`), { method, body, headers, timeoutMs: 2000 })).status === expected.status;
  } catch {
    return false;
  }
}
