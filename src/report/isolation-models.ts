// Each Wasm host's isolation model in words, for the isolation claim's evidence: what one tenant's
// loop, memory or output can do to the others, at the settings the run used (docs/isolation.md).
import type { RunResult } from '../results/types.js';
import { DEFAULT_MAX_MEMORY_MIB, DEFAULT_REQUEST_TIMEOUT_MS } from '../wasm-host/protocol.js';

interface HostSettings {
  requestTimeoutMs?: number;
  maxMemoryMiB?: number;
  poolWorkers?: number;
  isolation?: string[];
}

function model(runtime: string, variant: string | undefined, settings: HostSettings): string | undefined {
  const deadline = `${settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS} ms`;
  const limits = `each tenant's linear memory capped at ${settings.maxMemoryMiB ?? DEFAULT_MAX_MEMORY_MIB} MiB (a grow past it fails; a trap there is a fault), its guest output limited apart from the others'`;
  if (runtime === 'wasm') {
    const isolation = variant ?? settings.isolation?.[0] ?? 'shared-thread';
    const where = {
      'shared-thread': `every tenant on the V8 host's one thread: a tenant that loops holds all the others until its deadline (${deadline})`,
      'worker-per-tenant': `a worker thread per tenant: a tenant that loops holds only itself; at its deadline (${deadline}) its worker is ended and a new one started`,
      'worker-pool': `tenants spread over ${settings.poolWorkers ?? 2} worker threads: a tenant that loops holds the tenants of its worker until its deadline (${deadline}), no other; they are re-instantiated in a new worker`,
    }[isolation];
    return where && `wasm${variant ? ` (${variant})` : ''}: ${where}; ${limits}.`;
  }
  if (runtime === 'wasm-per-process')
    return `wasm-per-process: a V8 host process per tenant: a tenant that loops holds only itself until its deadline (${deadline}); ${limits}.`;
  if (runtime === 'wasmtime')
    return `wasmtime${variant ? ` (${variant})` : ''}: tenants share the wasmtime host's worker threads, each in a store of its own; a running guest yields every 10 ms (epoch interruption), so a tenant that loops takes a core but holds no other tenant, and traps at its deadline (${deadline}); ${limits} (its resource limiter).`;
  return undefined;
}

/** One sentence per Wasm runtime (and variant) the results measured. */
export function isolationModels(results: RunResult[]): string[] {
  const sentences = new Set<string>();
  for (const result of results) {
    for (const status of result.runtimes ?? []) {
      if (status.family !== 'wasm' || !status.available) continue;
      const settings = (result.scenario[status.runtime] ?? {}) as HostSettings;
      for (const variant of status.variants?.length ? status.variants : [undefined]) {
        const words = model(status.runtime, variant, settings);
        if (words) sentences.add(words);
      }
    }
  }
  return [...sentences];
}
