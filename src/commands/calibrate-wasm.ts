// `calibrate` against Wasm tenants: hello-c on the wasmtime host (each instance model) and on
// `wasmtime serve`, deployed through their drivers as a load measurement deploys them, so the
// client's ceiling is known where Wasm throughput is measured, not only against a null server.
import { untilAnswering } from '../measure/probe-tenant.js';
import { runtimeLabel } from '../results/identity.js';
import { tenantIdFor } from '../results/sample.js';
import { availableDrivers } from '../runtimes/select.js';
import { buildWorkload } from '../workloads/build.js';
import { loadWorkload } from '../workloads/catalog.js';
import { type ClientComparison, ceilingVerdict, compareClients } from './calibrate-clients.js';

const WASM_RUNTIMES = ['wasmtime', 'wasmtime-serve'];

/** Returns one sentence per tenant on whether autocannon is the ceiling; runtimes that are not available are skipped with their fix. */
export async function calibrateWasmTenants(settings: ClientComparison & { serverCpus?: string }): Promise<string[]> {
  const helloC = await loadWorkload('hello-c');
  const request = helloC.requests[0]!;
  const { drivers } = await availableDrivers(WASM_RUNTIMES, { runId: settings.runId, serverCpus: settings.serverCpus }, {}, (line) => console.log(line));
  if (drivers.length === 0) return [];
  const artifacts = await buildWorkload(helloC, new Set(['component']));
  const verdicts: string[] = [];
  for (const driver of drivers) {
    const target = `hello-c on ${runtimeLabel({ runtime: driver.name, variant: driver.variant })}`;
    try {
      await driver.prepare?.(artifacts);
      const deployment = await driver.deploy(artifacts, tenantIdFor(helloC.name, driver, 'calibrate'));
      await untilAnswering(deployment, request, 15000);
      const verdict = ceilingVerdict(target, await compareClients(target, deployment.baseUrl + request.path, settings));
      if (verdict) verdicts.push(verdict);
    } finally {
      await driver.dispose();
    }
  }
  return verdicts;
}
