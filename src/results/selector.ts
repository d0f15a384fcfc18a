// How users name a runtime on the command line (assert's budgets, report --baseline, compare
// --runtime): RUNTIME[:VARIANT][@ARM], e.g. `wasmtime`, `wasmtime:per-tenant`, `docker:crun/pre-created`,
// `process@b`. A part left out selects every value of it: `wasmtime` is each of wasmtime's variants.
// Matching is on identity fields, never on display labels.
import { type Identified, identityKey, identityOf } from './identity.js';
import type { RuntimeIdentity } from './types.js';

export interface RuntimeSelector {
  runtime: string;
  variant?: string;
  arm?: string;
}

/** A variant is opaque (it may hold "/", as `crun/pre-created`); runtime and arm names are plain words. */
const SELECTOR = /^([A-Za-z0-9._-]+)(?::([^\s:@]+))?(?:@([A-Za-z0-9._-]+))?$/;

export const SELECTOR_SYNTAX = 'RUNTIME[:VARIANT][@ARM]';

export function parseSelector(text: string): RuntimeSelector | undefined {
  const match = SELECTOR.exec(text);
  if (!match) return undefined;
  return { runtime: match[1]!, ...(match[2] ? { variant: match[2] } : {}), ...(match[3] ? { arm: match[3] } : {}) };
}

/** What a user types to name exactly this runtime: "wasmtime:per-tenant", "process@b". */
export function selectorText(item: RuntimeSelector | Identified): string {
  return `${item.runtime ?? 'harness'}${item.variant ? `:${item.variant}` : ''}${item.arm ? `@${item.arm}` : ''}`;
}

export function selects(selector: RuntimeSelector, item: Identified): boolean {
  return (
    item.runtime === selector.runtime &&
    (selector.variant === undefined || item.variant === selector.variant) &&
    (selector.arm === undefined || item.arm === selector.arm)
  );
}

/** The distinct runtimes among these records that the selector names, in the order first seen. */
export function selectIdentities(selector: RuntimeSelector, items: readonly Identified[]): RuntimeIdentity[] {
  const found = new Map<string, RuntimeIdentity>();
  for (const item of items) if (selects(selector, item) && !found.has(identityKey(item))) found.set(identityKey(item), identityOf(item));
  return [...found.values()];
}

/** Every runtime in these records as the user would type it, sorted: for error messages. */
export function typedRuntimes(items: readonly Identified[]): string[] {
  return [...new Set(items.filter((i) => i.runtime).map(selectorText))].sort();
}

/**
 * The one runtime a selector names where one value is required (a baseline): throws an Error of one
 * line listing what to type instead when it names none or several. Architectures do not count:
 * callers compare within each architecture.
 */
export function selectOne(selector: RuntimeSelector, items: readonly Identified[]): RuntimeIdentity {
  const named = selectIdentities(selector, items);
  const typed = [...new Set(named.map(selectorText))].sort();
  if (typed.length === 1) return named.find((i) => !i.emulated) ?? named[0]!;
  if (typed.length === 0) throw new Error(`no runtime "${selectorText(selector)}" in these results; expected one of: ${typedRuntimes(items).join(', ')}`);
  throw new Error(`"${selectorText(selector)}" names ${typed.length} runtimes here; name one: ${typed.join(', ')}`);
}
