// Proves that deployments answer every request their workload declares exactly as expected,
// before anything is measured on them. Mismatches come back as readable lines.
import type { Workload } from '../workloads/catalog.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import { httpRequest } from '../http-client.js';
import { probeFirstResponse } from './probe.js';

export async function verifyDeployment(workload: Workload, deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const expected of workload.requests) {
    const what = `${expected.method} ${expected.path}`;
    try {
      const answer = await httpRequest(new URL(deployment.baseUrl + expected.path), { method: expected.method, body: expected.body });
      if (answer.status !== expected.expect.status) {
        problems.push(`${what}: status ${answer.status}, expected ${expected.expect.status}`);
      }
      if (answer.body !== expected.expect.body) problems.push(`${what}: ${describeDifference(expected.expect.body, answer.body)}`);
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Where two bodies first differ, with a little context on each side. */
export function describeDifference(expected: string, actual: string): string {
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  const from = Math.max(0, at - 20);
  const show = (s: string) => JSON.stringify(s.slice(from, at + 40));
  return `body differs at character ${at} (lengths ${actual.length} vs ${expected.length} expected): got ${show(actual)}, expected ${show(expected)}`;
}

/** Deploys one tenant, waits for it, checks every declared request, and tears it down. */
export async function verifyRuntime(driver: RuntimeDriver, artifacts: WorkloadArtifacts, timeoutMs: number): Promise<string[]> {
  const workload = artifacts.workload;
  const deployment = await driver.deploy(artifacts, `${workload.name}-${driver.name}-verify`);
  try {
    // Wait until it answers at all; verifyDeployment then says exactly what is wrong, if anything.
    await probeFirstResponse(deployment.baseUrl, workload.requests[0]!, timeoutMs).catch(() => undefined);
    return await verifyDeployment(workload, deployment);
  } finally {
    await driver.teardown(deployment);
  }
}
