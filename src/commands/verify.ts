// `coldbench verify [workload...]`: sends every declared request of each workload to every
// available runtime and fails with a readable difference on any mismatch.
import { randomBytes } from 'node:crypto';
import { RUNTIME_NAMES, DEFAULT_RUNTIME_SETTINGS } from '../scenario/schema.js';
import { UserError } from '../errors.js';
import { listWorkloads, loadWorkload } from '../workloads/catalog.js';
import { buildWorkload } from '../workloads/build.js';
import { availableDrivers } from '../runtimes/index.js';
import { verifyRuntime } from '../measure/verify.js';
import { onShutdown, runCleanups } from '../lifecycle.js';

export async function verifyCommand(names: string[]): Promise<number> {
  const known = await listWorkloads();
  for (const name of names) {
    if (!known.includes(name)) throw new UserError(`unknown workload "${name}", expected one of: ${known.join(', ')}`);
  }
  const runId = `verify-${randomBytes(3).toString('hex')}`;
  const { drivers } = await availableDrivers(RUNTIME_NAMES, { runId }, DEFAULT_RUNTIME_SETTINGS, console.log);
  onShutdown(async () => {
    await Promise.all(drivers.map((d) => d.dispose()));
  });
  let failures = 0;
  try {
    for (const name of names.length ? names : known) {
      const artifacts = await buildWorkload(await loadWorkload(name), drivers.map((d) => d.name));
      for (const driver of drivers) {
        await driver.prepare?.(artifacts);
        const problems = await verifyRuntime(driver, artifacts, 15000);
        const label = `${name} on ${driver.name}`;
        if (problems.length === 0) {
          console.log(`ok    ${label}: ${artifacts.workload.requests.length} requests answered exactly`);
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
