// What `coldbench run` deploys on: the scenario's platforms, the CPUs servers and the load client
// keep to, and the drivers of every available runtime (one per variant, arm and platform).
import { cpus } from 'node:os';
import { UserError } from '../errors.js';
import type { RuntimeStatus } from '../results/types.js';
import { type Platform, preparePlatform } from '../runtimes/platform.js';
import { type Arm, availableDrivers } from '../runtimes/select.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { Scenario } from '../scenario/schema.js';

export interface RunRuntimes {
  drivers: RuntimeDriver[];
  statuses: RuntimeStatus[];
  /** Undefined when the scenario names no platforms: the machine's own. */
  platforms?: Platform[];
  /** The load client's CPUs when servers and client are pinned apart (load.cpuIsolation). */
  clientCpus?: string;
}

export async function prepareRuntimes(scenario: Scenario, runId: string, arms: Arm[] | undefined, log: (line: string) => void): Promise<RunRuntimes> {
  const isolation = cpuIsolation(scenario, log);
  const platforms = await preparePlatforms(scenario, log);
  const { drivers, statuses } = await availableDrivers(scenario.runtimes, { runId, serverCpus: isolation?.serverCpus }, scenario, log, arms, platforms);
  if (drivers.length === 0) throw new UserError('no runtime of this scenario is available (see `coldbench doctor`)', 1);
  return { drivers, statuses, platforms, clientCpus: isolation?.clientCpus };
}

// The scenario's platforms, each ready to run (a foreign one is set up when first asked for).
async function preparePlatforms(scenario: Scenario, log: (line: string) => void): Promise<Platform[] | undefined> {
  if (!scenario.platforms) return undefined;
  const platforms: Platform[] = [];
  for (const name of scenario.platforms) {
    const platform = await preparePlatform(name).catch((error: Error) => {
      throw new UserError(`platforms: ${error.message}`, 1);
    });
    if (platform.emulated) log(`${name}: emulated on this ${process.arch} machine (node ${platform.node}); its timings are not hardware timings`);
    platforms.push(platform);
  }
  return platforms;
}

// Servers on CPU 0 and the load client on CPU 1, when load asks for it and the machine has two CPUs.
function cpuIsolation(scenario: Scenario, log: (line: string) => void): { serverCpus: string; clientCpus: string } | undefined {
  if (!scenario.measurements.load?.cpuIsolation) return undefined;
  if (cpus().length < 2) {
    log('warning: load.cpuIsolation needs at least 2 CPUs; running without it');
    return undefined;
  }
  return { serverCpus: '0', clientCpus: '1' };
}
