// Capabilities: what a tenant can reach on each runtime. Deploys the capability probe workload
// (workloads/capability-probe), asks it to try the environment, host files, writes and a TCP
// connection to a port the harness listens on, and records each outcome as a sample (a count of
// environment variables; otherwise a code: 0 refused, 1 reached, 2 not available). Where the host
// can see the attempt itself (a connection accepted, a file created in its directory), that
// counts as reached whatever the tenant said.

import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { httpRequest } from '../http-client.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, tenantIdFor } from '../results/sample.js';
import { timeoutScale } from '../runtimes/platform.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import { textTable } from '../text-table.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import {
  CAPABILITIES_MEASUREMENT,
  OUTCOME_CODES,
  type Outcome,
  PROBE_WORKLOAD,
  PROBES,
  reachability,
  reachabilityTable,
  reachabilityWords,
  reached,
} from './capability-outcomes.js';
import { untilAnswering } from './probe-tenant.js';
import { defineMeasurement } from './types.js';

const CapabilitiesOptions = z
  .object({
    timeoutMs: z.number().int().min(100).max(600000).default(15000).describe('Give up on one probe (deploy and answer) after this time.'),
  })
  .strict();
export type CapabilitiesOptions = z.infer<typeof CapabilitiesOptions>;

/** What the probe answers: per probe an outcome (and the error), env-vars a count. */
type ProbeAnswer = Record<string, { outcome?: Outcome; error?: string; count?: number; names?: string }>;

export interface ProbeRecord {
  probe: string;
  value: number;
  unit: 'count' | 'code';
  /** The error the tenant saw, or the names of the variables it saw (never their values). */
  detail?: string;
}

export const capabilities = defineMeasurement({
  name: CAPABILITIES_MEASUREMENT,
  summary: `what a tenant can reach (environment, host files, writes, a TCP connection to the harness), asked of the ${PROBE_WORKLOAD} workload`,
  options: CapabilitiesOptions,
  owns: [CAPABILITIES_MEASUREMENT],

  checkWorkloads(_options, workloads) {
    return workloads.some((w) => w.name === PROBE_WORKLOAD)
      ? []
      : [`workloads: expected ${PROBE_WORKLOAD} among them (the capabilities measurement asks it what it can reach)`];
  },

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

  table(result) {
    const table = reachabilityTable([result]);
    if (!table) return undefined;
    const legend = 'capabilities: what each tenant reached (reached / refused / not-available: no such call in that runtime; env-vars: variables seen)';
    return `${legend}\n${textTable(table.header, table.rows)}`;
  },

  charts() {
    return [];
  },

  judge() {
    return undefined; // outcomes, not quantities: nothing for `compare` to call faster or slower
  },

  summaryRows() {
    return []; // one observation per probe: the reachability table shows them, not medians
  },

  headlines(result) {
    return reachability(result).map((row) => `${row.workload}: ${reachabilityWords(row)}.`);
  },

  reportTable(results) {
    const table = reachabilityTable(results);
    return (
      table && {
        title: 'What a tenant can reach',
        description: `The ${PROBE_WORKLOAD} workload, deployed on each runtime, tried each of these: ${PROBES.map((p) => `${p.id}: ${p.what}`).join('; ')}. "not-available": the runtime offers no such call.`,
        ...table,
      }
    );
  },
});

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
      return { probe: id, unit: 'code', value: OUTCOME_CODES[outcome], detail: said?.error };
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
