// The per-tenant limits both Wasm hosts take (the V8 host's and the wasmtime host's scenario
// keys): one definition of their bounds and defaults; each host describes how it enforces them.
import { z } from 'zod';
import { DEFAULT_MAX_MEMORY_MIB, DEFAULT_REQUEST_TIMEOUT_MS, LARGEST_MAX_MEMORY_MIB } from '../wasm-host/protocol.js';

/** `requestTimeoutMs`: the per-request deadline, described by how the host enforces it. */
export function requestTimeoutMs(howEnforced: string) {
  return z.number().int().min(1).max(600_000).default(DEFAULT_REQUEST_TIMEOUT_MS).describe(howEnforced);
}

/** `maxMemoryMiB`: the cap on a tenant's linear memory, described by how the host enforces it. */
export function maxMemoryMiB(howEnforced: string) {
  return z.number().int().min(1).max(LARGEST_MAX_MEMORY_MIB).default(DEFAULT_MAX_MEMORY_MIB).describe(howEnforced);
}
