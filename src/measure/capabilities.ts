// Capabilities, measured: what a tenant can reach on each runtime. Deploys the capability probe
// workload (workloads/capability-probe), asks it to try the environment, host files, writes and a
// TCP connection to a port the harness listens on, and records each outcome as a sample (a count
// of environment variables; otherwise a category: refused, reached, not-available). Where the host
// can see the attempt itself (a connection accepted, a file created in its directory), that
// counts as reached whatever the tenant said. How the samples read is in capabilities-read.ts.

import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpRequest } from '../http-client.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, tenantIdFor } from '../results/sample.js';
import { CATEGORY_UNIT } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { CapabilitiesOptions } from './capabilities-read.js';
import { CAPABILITIES_MEASUREMENT, type Outcome, PROBE_WORKLOAD, PROBES, reached } from './capability-outcomes.js';
import { untilAnswering } from './probe-tenant.js';
import type { MeasurementRunner } from './types.js';

/** What the probe answers: per probe an outcome (and the error), env-vars a count. */
type ProbeAnswer = Record<string, { outcome?: Outcome; error?: string; count?: number; names?: string }>;

/** One probe's result: a count (env-vars, unit "count"), or an outcome (unit "category", value 1: one observation). */
export interface ProbeRecord {
  probe: string;
  unit: 'count' | typeof CATEGORY_UNIT;
  value: number;
  category?: Outcome;
  /** The error the tenant saw, or the names of the variables it saw (never their values). */
  detail?: string;
}

export const capabilitiesRunner: MeasurementRunner<CapabilitiesOptions> = {
  async run(context) {
    // Other workloads have no probe: this measurement asks only the probe workload.
    if (context.artifacts.workload.name !== PROBE_WORKLOAD) return;
    for (const driver of context.drivers) {
      context.signal.throwIfAborted();
      const records = await probeRuntime(driver, context.artifacts, context.options.timeoutMs, context.signal);
      const sampleContext = driverContext(context.scenario, PROBE_WORKLOAD, driver);
      await context.onSamples(
        records.map((r) =>
          makeSample(sampleContext, {
            measurement: CAPABILITIES_MEASUREMENT,
            tenants: 1,
            iteration: 0,
            metric: r.probe,
            unit: r.unit,
            value: r.value,
            category: r.category,
          }),
        ),
      );
      const reachedNow = records.filter((r) => reached(r)).map((r) => r.probe);
      const env = records.find((r) => r.probe === 'env-vars');
      // Names only when few: a process sees the harness's whole environment.
      const names = env?.detail && (env.value ?? 0) <= 8 ? ` (${env.detail})` : '';
      context.onProgress(
        `  ${runtimeLabel(sampleContext)}: reached ${reachedNow.join(', ') || 'nothing of the host'}; sees ${env?.value ?? 0} environment variables${names}`,
      );
    }
  },
};

/** Deploys the probe on one runtime, asks it, and tears it down; what it reached, probe by probe. */
export async function probeRuntime(driver: RuntimeDriver, artifacts: WorkloadArtifacts, timeoutMs: number, signal: AbortSignal): Promise<ProbeRecord[]> {
  const dir = await mkdtemp(join(tmpdir(), 'coldbench-capabilities-'));
  const listener = await listen();
  try {
    const file = join(dir, 'harness-file');
    await writeFile(file, 'a file of the harness, on the host\n');
    const deployment = await driver.deploy(artifacts, tenantIdFor(PROBE_WORKLOAD, driver, 'probe'));
    let answer: ProbeAnswer;
    try {
      // Ready first (a process or container may still be starting), then the probe itself.
      await untilAnswering(deployment, artifacts.workload.requests[0]!, timeoutMs * timeoutScale(driver.platform), signal);
      const url = new URL(`${deployment.baseUrl}/probe?port=${listener.port}&file=${file}&dir=${dir}`);
      const response = await httpRequest(url, { timeoutMs, signal });
      if (response.status !== 200) throw new Error(`${driver.name}: the probe answered ${response.status}: ${response.body.slice(0, 200)}`);
      answer = JSON.parse(response.body) as ProbeAnswer;
    } finally {
      await driver.teardown(deployment);
    }
    const createdOnHost = await access(join(dir, 'from-tenant')).then(
      () => true,
      () => false,
    );
    return PROBES.map(({ id }): ProbeRecord => {
      const said = answer[id];
      if (id === 'env-vars') return { probe: id, unit: 'count', value: said?.count ?? 0, detail: said?.names };
      const seenByHost = (id === 'connect-harness' && listener.accepted() > 0) || (id === 'write-harness-dir' && createdOnHost);
      const outcome: Outcome = seenByHost ? 'reached' : (said?.outcome ?? 'refused');
      return { probe: id, unit: CATEGORY_UNIT, value: 1, category: outcome, detail: said?.error };
    });
  } finally {
    await listener.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A TCP listener on 127.0.0.1 that counts connections (and closes them at once). */
async function listen(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
