// Which runtime a record belongs to, as data: records (samples, summaries, ramps, histograms,
// warnings) are matched by identity, and a label is made from it only for display.
import type { RuntimeIdentity } from './types.js';

/** Anything that carries a runtime identity; harness samples have `runtime: null`. */
export type Identified = Omit<RuntimeIdentity, 'runtime'> & { runtime?: string | null };

/** The identity fields of a record, and nothing else (absent fields left out). */
export function identityOf(item: Identified): RuntimeIdentity {
  return {
    runtime: item.runtime ?? 'harness',
    ...(item.variant ? { variant: item.variant } : {}),
    ...(item.arm ? { arm: item.arm } : {}),
    ...(item.arch ? { arch: item.arch } : {}),
    ...(item.emulated ? { emulated: true } : {}),
  };
}

/**
 * A string that is equal for records of the same runtime. The architecture counts only when
 * emulated (as in sampleKey): native runs of two machines are the same runtime for `compare`.
 */
export function identityKey(item: Identified): string {
  return [item.runtime ?? '', item.variant ?? '', item.arm ?? '', item.emulated ? (item.arch ?? '') : ''].join('\0');
}

export function sameRuntime(a: Identified, b: Identified): boolean {
  return identityKey(a) === identityKey(b);
}

/** How reports and the terminal name a runtime: "wasmtime", "wasmtime (per-tenant)", "docker on arm64 (emulated)". Display only: never parsed, never joined on. */
export function runtimeLabel(item: Identified): string {
  const name = item.runtime ?? 'harness';
  const withVariant = item.variant ? `${name} (${item.variant})` : name;
  const withArm = item.arm ? `${withVariant} [arm ${item.arm}]` : withVariant;
  return item.emulated ? `${withArm} on ${item.arch} (emulated)` : withArm;
}
