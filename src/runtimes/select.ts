// Picks the runtimes a command uses: checks each one's availability (one line per skipped
// runtime, with the fix), parses its settings, and creates its drivers, one per variant.

import type { RuntimeStatus } from '../results/types.js';
import type { Platform } from './platform.js';
import { runtimeDescriptor } from './registry.js';
import type { ArtifactKind, RunContext, RuntimeDriver } from './types.js';

export interface DriverSelection {
  drivers: RuntimeDriver[];
  statuses: RuntimeStatus[];
}

/** One arm of an interleaved A/B run: its name and settings that override the scenario's per runtime. */
export interface Arm {
  name: string;
  settings: Record<string, unknown>;
}

/**
 * `settings`: the scenario (each runtime's settings under its name); missing settings take their
 * defaults. With arms, every runtime gets one driver per arm (and variant), carrying the arm's name;
 * with platforms, one per platform (and arm and variant), carrying the platform.
 */
export async function availableDrivers(
  names: readonly string[],
  context: RunContext,
  settings: Record<string, unknown>,
  log: (line: string) => void,
  arms?: Arm[],
  platforms?: Platform[],
): Promise<DriverSelection> {
  const selection: DriverSelection = { drivers: [], statuses: [] };
  for (const name of names) {
    const descriptor = runtimeDescriptor(name);
    const availability = await descriptor.available();
    if (!availability.available) {
      log(`skipping ${name}: ${availability.reason}; fix: ${availability.fix}`);
      selection.statuses.push({ runtime: name, family: descriptor.family, available: false, reason: availability.reason });
      continue;
    }
    selection.statuses.push({ runtime: name, family: descriptor.family, available: true, version: availability.version });
    for (const platform of platforms ?? [undefined]) {
      if (platform?.emulated && !descriptor.emulates) {
        log(`skipping ${name} on ${platform.name}: it does not run on an emulated platform`);
        continue;
      }
      for (const arm of arms ?? [undefined]) {
        const raw = arm && name in arm.settings ? arm.settings[name] : settings[name];
        const options = descriptor.options ? descriptor.options.parse(raw) : undefined;
        for (const variant of descriptor.variants?.(options) ?? [undefined]) {
          const works = await descriptor.variantAvailable?.(options, variant);
          if (works && !works.available) {
            log(`skipping ${name} ${variant ?? ''}: ${works.reason}; fix: ${works.fix}`);
            continue;
          }
          const driver = await descriptor.create(platform ? { ...context, platform } : context, options, variant);
          if (arm) driver.arm = arm.name;
          if (platform) driver.platform = platform;
          selection.drivers.push(driver);
        }
      }
    }
  }
  return selection;
}

/** The artifacts these runtimes need built. */
export function artifactKinds(names: readonly string[]): Set<ArtifactKind> {
  return new Set(names.flatMap((name) => runtimeDescriptor(name).artifacts));
}
