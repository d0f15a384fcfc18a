// The runtime registry: scenario names to driver factories.
import type { RuntimeName, Scenario } from '../scenario/schema.js';
import type { RunContext, RuntimeDriver } from './types.js';
import { dockerDriver } from './docker.js';
import { wasmDriver } from './wasm.js';
import { processDriver } from './process.js';

export function createDriver(name: RuntimeName, context: RunContext, scenario: Pick<Scenario, 'docker'>): RuntimeDriver {
  switch (name) {
    case 'docker':
      return dockerDriver(context, scenario.docker);
    case 'wasm':
      return wasmDriver(context, 'shared');
    case 'wasm-per-process':
      return wasmDriver(context, 'per-process');
    case 'process':
      return processDriver(context);
  }
}

export interface DriverSelection {
  drivers: RuntimeDriver[];
  statuses: { runtime: RuntimeName; available: boolean; version?: string; reason?: string }[];
}

/** Creates the named drivers and keeps the available ones; `log` gets one line per skipped runtime. */
export async function availableDrivers(
  names: readonly RuntimeName[], context: RunContext, scenario: Pick<Scenario, 'docker'>, log: (line: string) => void,
): Promise<DriverSelection> {
  const selection: DriverSelection = { drivers: [], statuses: [] };
  for (const name of names) {
    const driver = createDriver(name, context, scenario);
    const availability = await driver.available();
    if (availability.available) {
      selection.drivers.push(driver);
      selection.statuses.push({ runtime: name, available: true, version: availability.version });
    } else {
      log(`skipping ${name}: ${availability.reason}; fix: ${availability.fix}`);
      selection.statuses.push({ runtime: name, available: false, reason: availability.reason });
    }
  }
  return selection;
}
