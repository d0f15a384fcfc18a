// Whether a runtime (or an emulated platform) can be tested here. On a user's machine a missing one
// skips its tests, saying why; where COLDBENCH_REQUIRE_RUNTIMES names it (or says "all"), as CI
// does, a missing one fails with its fix, so that a machine meant to have it cannot pass with its
// tests unrun. Every "not available here" in the tests goes through `testable`.

import { PROJECT_ROOT } from '../src/paths.js';
import { nobodyReaches } from '../src/runtimes/process-sandbox.js';
import { runtimeNames } from '../src/runtimes/registry.js';
import type { Availability } from '../src/runtimes/types.js';
import { componentizePyVersion, PYTHON_TOOLCHAIN_FIX } from '../src/workloads/python-toolchain.js';

export const REQUIRE_ENV = 'COLDBENCH_REQUIRE_RUNTIMES';

/** What may be required besides the runtimes: the emulated platform scripts/setup-arm64.sh sets up. */
export const REQUIRABLE_PLATFORMS = ['linux/arm64'];
/** What a test needs besides runtimes; "all" requires them too (a CI machine has them): a browser
 *  for the report tests, root to create the user of the non-root proof (scripts/prove-nonroot.sh),
 *  and componentize-py for Python workloads' components. */
export const REQUIRABLE_TOOLS = ['browser', 'nonroot-proof', 'componentize-py'];

/** The names COLDBENCH_REQUIRE_RUNTIMES requires: "all" is every real runtime (not the platforms). */
export function requiredNames(value = process.env[REQUIRE_ENV] ?? ''): string[] {
  const runtimes = runtimeNames().filter((name) => name !== 'fake');
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = [...runtimes, ...REQUIRABLE_PLATFORMS, ...REQUIRABLE_TOOLS];
  const unknown = names.filter((name) => name !== 'all' && !known.includes(name));
  if (unknown.length) {
    throw new Error(`${REQUIRE_ENV}: "${unknown[0]}" is not a runtime, platform or tool, expected "all" or a list of: ${known.join(', ')}`);
  }
  return [...new Set(names.flatMap((name) => (name === 'all' ? [...runtimes, ...REQUIRABLE_TOOLS] : [name])))];
}

/** True when `name` is available; false (skip) when it is not and not required; throws when it is required. */
export function testable(name: string, availability: Availability, value = process.env[REQUIRE_ENV] ?? ''): boolean {
  if (availability.available) return true;
  if (requiredNames(value).includes(name)) {
    throw new Error(`${name} is required here (${REQUIRE_ENV}=${value}) but not available: ${availability.reason}; fix: ${availability.fix}`);
  }
  return false;
}

/** Whether Python workloads' components can be built here (componentize-py, installed by the set-up). */
export async function componentizePyTestable(): Promise<{ testable: boolean; why: string }> {
  const availability: Availability = await componentizePyVersion().then(
    (version) => ({ available: true, version }),
    (error: Error) => ({ available: false, reason: error.message.split('; ')[0]!, fix: PYTHON_TOOLCHAIN_FIX }),
  );
  return { testable: testable('componentize-py', availability), why: skipReason('componentize-py', availability) };
}

/** Whether a test can run the project's code as nobody: it needs root, and a project nobody can reach. */
export async function asNobodyAvailability(): Promise<Availability> {
  if (process.getuid?.() !== 0) return { available: false, reason: 'switching to another user needs root', fix: 'run the tests as root' };
  if (!(await nobodyReaches(PROJECT_ROOT))) {
    return {
      available: false,
      reason: `nobody cannot reach ${PROJECT_ROOT}`,
      fix: "let others into the project's folder and every folder above it (`chmod o+x` on each)",
    };
  }
  return { available: true };
}

/** The name a skipped case carries, so that the skip says why. */
export function skipReason(name: string, availability: Availability): string {
  return availability.available ? '' : `skipped: ${name} is not available here (${availability.reason}; fix: ${availability.fix})`;
}
