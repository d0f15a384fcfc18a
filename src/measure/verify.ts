// Proves that deployments answer every request their workload declares exactly as expected,
// before anything is measured on them. Mismatches come back as readable lines.

import { httpRequest } from '../http-client.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Workload } from '../workloads/catalog.js';
import { TenantExitedError, untilAnswering } from './probe-tenant.js';

export async function verifyDeployment(workload: Workload, deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const expected of workload.requests) {
    const what = `${expected.method} ${expected.path}`;
    try {
      // Correctness, not speed: a CPU-heavy request in an interpreted JS engine may take seconds.
      const answer = await httpRequest(new URL(deployment.baseUrl + expected.path), {
        method: expected.method,
        body: expected.body,
        headers: expected.headers,
        timeoutMs: 60_000,
      });
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

const WHOLE = 300; // bodies up to this long are shown whole: a trap message must be readable

/** Where two bodies first differ: both whole when short, else the differing part with context. */
export function describeDifference(expected: string, actual: string): string {
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  const head = `body differs at character ${at} (lengths ${actual.length} vs ${expected.length} expected)`;
  if (actual.length <= WHOLE && expected.length <= WHOLE) return `${head}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
  const from = Math.max(0, at - 40);
  const show = (s: string) => `${from > 0 ? '…' : ''}${JSON.stringify(s.slice(from, at + 160))}${s.length > at + 160 ? '…' : ''}`;
  return `${head}: got ${show(actual)}, expected ${show(expected)}`;
}

/** Deploys one tenant, waits for it, checks every declared request, and tears it down. */
export async function verifyRuntime(driver: RuntimeDriver, artifacts: WorkloadArtifacts, timeoutMs: number): Promise<string[]> {
  const workload = artifacts.workload;
  const deployment = await driver.deploy(artifacts, `${workload.name}-${driver.name}-verify`);
  try {
    // Wait until it answers at all; verifyDeployment then says exactly what is wrong, if anything.
    // A tenant that exited says so at once, with its exit code and last output.
    const exited = await untilAnswering(deployment, workload.requests[0]!, timeoutMs).then(
      () => undefined,
      (error: unknown) => (error instanceof TenantExitedError ? error.message : undefined),
    );
    if (exited) return [exited];
    return await verifyDeployment(workload, deployment);
  } finally {
    await driver.teardown(deployment);
  }
}
