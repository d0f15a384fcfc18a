// Proves a deployment answers every request its workload declares exactly as expected, before
// anything is measured on it. Returns one readable line per mismatch.
import type { Workload } from '../workloads/catalog.js';
import type { Deployment } from '../runtimes/types.js';
import { httpRequest } from './http-get.js';

export async function verifyDeployment(workload: Workload, deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const expected of workload.requests) {
    const url = new URL(deployment.baseUrl + expected.path);
    try {
      const answer = await httpRequest(url, expected.method, expected.body);
      if (answer.status !== expected.expect.status) {
        problems.push(`${expected.method} ${expected.path}: status ${answer.status}, expected ${expected.expect.status}`);
      }
      if (answer.body !== expected.expect.body) {
        problems.push(`${expected.method} ${expected.path}: body ${JSON.stringify(answer.body.slice(0, 200))}, expected ${JSON.stringify(expected.expect.body.slice(0, 200))}`);
      }
    } catch (error) {
      problems.push(`${expected.method} ${expected.path}: ${(error as Error).message}`);
    }
  }
  return problems;
}
