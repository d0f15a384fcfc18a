// Which family (container, wasm, process) a runtime of a results file belongs to: as the file
// recorded it, or, for files written before runtimes recorded their family, as the registry says.
import type { RunResult } from '../results/types.js';
import { runtimeDescriptors } from './registry.js';

export function runtimeFamily(result: Pick<RunResult, 'runtimes'>, runtime: string | null | undefined): string | undefined {
  if (!runtime) return undefined;
  return result.runtimes.find((s) => s.runtime === runtime)?.family ?? runtimeDescriptors().find((d) => d.name === runtime)?.family;
}
