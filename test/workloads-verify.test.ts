// Every workload answers exactly as declared on every runtime; a wrong answer is a readable diff.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeDifference, verifyDeployment } from '../src/measure/verify.js';
import { runtimeLabel } from '../src/results/identity.js';
import { listWorkloads, loadWorkload } from '../src/workloads/catalog.js';
import { componentizePyTestable } from './availability.js';
import { artifactsFor, availableRuntimeNames, driversFor, runCli } from './helpers.js';

describe('coldbench verify', () => {
  it('passes for every workload on every runtime', async () => {
    // Without componentize-py (user machines only: CI requires it), the Python workloads are left out, saying why.
    const python = await componentizePyTestable();
    if (!python.testable) console.warn(`Python workloads left out of verify: ${python.why}`);
    const workloads = [];
    for (const name of await listWorkloads()) if (python.testable || (await loadWorkload(name)).language !== 'python') workloads.push(name);
    expect(workloads.length).toBeGreaterThan(0);
    const runtimes = await availableRuntimeNames({ withStageServices: true });
    const result = await runCli(['verify', ...(python.testable ? [] : workloads)]);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(0); // the output says which workload and runtime failed
    // Every driver, variants included (e.g. "wasmtime (per-tenant)"), prints one ok line per workload.
    const drivers = await driversFor(runtimes, 'verify-labels');
    const escapeRegex = (text: string) => text.replace(/[()]/g, '\\$&');
    for (const workload of workloads) {
      const loaded = await loadWorkload(workload);
      for (const driver of drivers) {
        const label = escapeRegex(runtimeLabel({ runtime: driver.name, variant: driver.variant }));
        // A runtime that cannot deploy a workload at all (stage services: pipelines only) says so, once.
        const refusal = driver.cannotDeploy?.(loaded);
        expect(result.stdout).toMatch(
          refusal
            ? new RegExp(`^skip +${workload} on ${label}: ${escapeRegex(refusal)}$`, 'm')
            : new RegExp(`^ok +${workload} on ${label}: \\d+ requests? answered exactly$`, 'm'),
        );
      }
    }
  }, 1_800_000); // every workload on every runtime: grows with the catalog (a Python component takes ~20 s to build and ~30 s to compile)

  it('rebuilds nothing the second time (content-hash cache)', async () => {
    const runtimes = await availableRuntimeNames();
    const again = await artifactsFor('hello-c', runtimes);
    const built = [again.serverApp, again.image, again.component].filter((a) => a !== undefined);
    expect(built.length).toBe(runtimes.includes('docker') ? 3 : 2);
    expect(built.every((a) => a.cached)).toBe(true);
    expect(again.component!.sizes.component).toBeGreaterThan(1000);
  });

  it('says where a wrong body first differs', async () => {
    const server = createServer((_req, res) => res.end('hello from coldbunch\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const workload = await loadWorkload('hello');
      const port = (server.address() as AddressInfo).port;
      const problems = await verifyDeployment(workload, { runtime: 'process', tenantId: 't', baseUrl: `http://127.0.0.1:${port}`, phases: [] });
      expect(problems).toHaveLength(workload.requests.length);
      expect(problems[0]).toBe(`GET /: ${describeDifference('hello from coldbench\n', 'hello from coldbunch\n')}`);
      expect(problems[0]).toContain('body differs at character 16');
    } finally {
      server.close();
    }
  });
});
