// `coldbench verify [workload...]`: sends every declared request of each workload to every
// available runtime and fails with a readable difference on any mismatch.
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { plural } from '../format.js';
import { onShutdown, runCleanups, shutdownSignal } from '../lifecycle.js';
import { verifyRuntime } from '../measure/verify.js';
import { runtimeLabel } from '../results/identity.js';
import { runtimeIdentity } from '../results/sample.js';
import { runtimeNames } from '../runtimes/registry.js';
import { artifactKinds, availableDrivers } from '../runtimes/select.js';
import { buildWorkload } from '../workloads/build.js';
import { listWorkloads, loadWorkload } from '../workloads/catalog.js';

export async function verifyCommand(names: string[]): Promise<number> {
  const known = await listWorkloads();
  for (const name of names) {
    if (!known.includes(name)) throw new UserError(`unknown workload "${name}", expected one of: ${known.join(', ')}`);
  }
  const runId = `verify-${randomBytes(3).toString('hex')}`;
  const { drivers, statuses } = await availableDrivers(runtimeNames(), { runId }, {}, console.log);
  onShutdown(async () => {
    await Promise.all(drivers.map((d) => d.dispose()));
  });
  const kinds = artifactKinds(statuses.filter((s) => s.available).map((s) => s.runtime));
  let failures = 0;
  try {
    for (const name of names.length ? names : known) {
      const artifacts = await buildWorkload(await loadWorkload(name), kinds, { signal: shutdownSignal, runId });
      for (const driver of drivers) {
        const label = `${name} on ${runtimeLabel(runtimeIdentity(driver))}`;
        const refusal = driver.cannotDeploy?.(artifacts.workload);
        if (refusal) {
          console.log(`skip  ${label}: ${refusal}`);
          continue;
        }
        await driver.prepare?.(artifacts);
        const problems = await verifyRuntime(driver, artifacts, 15000);
        if (problems.length === 0) {
          console.log(`ok    ${label}: ${plural(artifacts.workload.requests.length, 'request')} answered exactly`);
        } else {
          failures++;
          console.log(`FAIL  ${label}:\n${problems.map((p) => `        ${p}`).join('\n')}`);
        }
      }
    }
  } finally {
    await runCleanups();
  }
  return failures ? 1 : 0;
}
