// The sandboxed process tenant (process.sandbox: bubblewrap), on a real bwrap: it answers on
// 127.0.0.1 like a plain process, runs as an unprivileged user, reaches nothing of the host but
// its own /tmp, its whole process tree is counted and carries the run marker, and the sweep that
// `coldbench clean` and a run's reaper use removes every process of it.
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http-client.js';
import { probeRuntime } from '../src/measure/capabilities.js';
import { findMarkedProcesses } from '../src/runtimes/process-marker.js';
import { bubblewrapAvailable } from '../src/runtimes/process-sandbox.js';
import { processTrees } from '../src/runtimes/process-tree.js';
import { sweepRun } from '../src/runtimes/sweep.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { testable } from './availability.js';
import { artifactsFor, driversFor } from './helpers.js';

const here = testable('process', await bubblewrapAvailable());
const BUILD_MS = 300_000;
const drivers: RuntimeDriver[] = [];
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
});

async function sandboxed(runId: string): Promise<RuntimeDriver> {
  const [driver] = await driversFor(['process'], runId, { process: { sandbox: ['bubblewrap'] } });
  drivers.push(driver!);
  expect(driver!.variant).toBe('bubblewrap');
  return driver!;
}

const uidOf = async (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);

describe.skipIf(!here)('a sandboxed process tenant (bubblewrap)', () => {
  it(
    'reaches nothing of the host but its own /tmp: no environment but PORT and HOST, no host files, no writes, no connections',
    async () => {
      const driver = await sandboxed(`sandbox-probe-${process.pid}`);
      const records = await probeRuntime(driver, await artifactsFor('capability-probe', ['process']), 15_000, new AbortController().signal);
      expect(Object.fromEntries(records.map((r) => [r.probe, r.category ?? r.value]))).toEqual({
        'env-vars': 3, // PORT, HOST and the PWD bwrap sets for --chdir
        'env-sentinel': 'refused',
        'read-etc-passwd': 'refused',
        'read-etc-shadow': 'refused',
        'read-harness-file': 'refused',
        'write-tmp': 'reached', // its private tmpfs
        'write-root': 'refused',
        'write-harness-dir': 'refused',
        'connect-harness': 'refused',
      });
      expect(records.find((r) => r.probe === 'env-vars')?.detail).toBe('PORT HOST PWD');
    },
    BUILD_MS,
  );

  it(
    'answers a Node and a C workload on 127.0.0.1, as an unprivileged user, and is counted as its whole process tree',
    async () => {
      const driver = await sandboxed(`sandbox-answers-${process.pid}`);
      for (const workload of ['hello', 'hello-c']) {
        const artifacts = await artifactsFor(workload, ['process']);
        const deployment = await driver.deploy(artifacts, `${workload}-sandboxed`);
        try {
          let answer: { status: number; body: string } | undefined;
          for (let tries = 0; !answer && tries < 300; tries++) {
            answer = await httpRequest(new URL(`${deployment.baseUrl}/`), { timeoutMs: 2000 }).catch(async () => {
              await new Promise((resolve) => setTimeout(resolve, 20));
              return undefined;
            });
          }
          expect(answer).toEqual({ status: 200, body: 'hello from coldbench\n' });
          const pids = (await driver.servingProcesses!([deployment])).map((p) => p.pid);
          // bwrap, its init in the new pid namespace, and the app.
          expect(pids.length).toBeGreaterThanOrEqual(3);
          const app = pids.at(-1)!;
          if (process.getuid?.() === 0) expect(await uidOf(app)).toBe(65534);
          const [pss] = await driver.memory!([deployment]);
          expect(pss).toMatchObject({ method: 'pss' });
          expect(pss!.bytes).toBeGreaterThan(0);
        } finally {
          await driver.teardown(deployment);
        }
      }
    },
    BUILD_MS,
  );

  it(
    'carries the run marker on every process of its tree, and the sweep removes them all',
    async () => {
      const runId = `sandbox-sweep-${process.pid}`;
      const driver = await sandboxed(runId);
      const deployment = await driver.deploy(await artifactsFor('hello-c', ['process']), 'swept');
      const [tree] = await processTrees([(await driver.servingProcesses!([deployment]))[0]!.pid]);
      const marked = new Set((await findMarkedProcesses()).filter((m) => m.runId === runId).map((m) => m.pid));
      for (const pid of tree!) expect(marked.has(pid), `pid ${pid} of the sandbox is marked`).toBe(true);

      const report = await sweepRun(runId);
      expect(report.processes).toBeGreaterThanOrEqual(tree!.length);
      for (let tries = 0; tries < 100; tries++) {
        const left = await Promise.all(tree!.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)));
        // A killed child stays a zombie until its parent (this process, for bwrap) reaps it.
        if (left.every((stat) => stat === undefined || / Z /.test(stat))) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const pid of tree!) {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
        expect(stat === undefined || / Z /.test(stat), `pid ${pid} is gone`).toBe(true);
      }
      await driver.teardown(deployment);
    },
    BUILD_MS,
  );

  it(
    'torn down while it still starts, leaves no process behind',
    async () => {
      const runId = `sandbox-early-${process.pid}`;
      const driver = await sandboxed(runId);
      const artifacts = await artifactsFor('hello', ['process']);
      const deployments = await Promise.all([0, 1, 2, 3].map((i) => driver.deploy(artifacts, `early-${i}`)));
      await Promise.all(
        deployments.map((d, i) => (i % 2 ? new Promise((resolve) => setTimeout(resolve, 30 * i)) : Promise.resolve()).then(() => driver.teardown(d))),
      );
      let left = (await findMarkedProcesses()).filter((m) => m.runId === runId);
      for (let tries = 0; left.length && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = (await findMarkedProcesses()).filter((m) => m.runId === runId);
      }
      expect(left).toEqual([]);
    },
    BUILD_MS,
  );
});
