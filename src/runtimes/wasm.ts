// Wasm components in coldbench's V8 host (src/wasm-host/): one Node process that compiles each
// component's core modules once and instantiates them once per tenant, through jco's glue.
import { access } from 'node:fs/promises';
import { z } from 'zod';
import { WASM_HOST_MAIN } from '../paths.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../wasm-host/protocol.js';
import { platformEnv } from './platform.js';
import { type Availability, defineRuntime, type RunContext, type RuntimeDriver } from './types.js';
import { V8_WASM_FLAGS } from './v8-wasm-features.js';

export async function v8HostAvailable(): Promise<Availability> {
  try {
    await access(WASM_HOST_MAIN);
    return { available: true, version: `coldbench V8 host (jco) on node ${process.version}` };
  } catch {
    return { available: false, reason: `the Wasm host is not built (${WASM_HOST_MAIN} is missing)`, fix: 'run `npm run build`' };
  }
}

/** The V8 host's settings (the `wasm` and `wasm-per-process` keys of a scenario). */
export const V8HostOptions = z
  .object({
    requestTimeoutMs: z
      .number()
      .int()
      .min(1)
      .max(600_000)
      .default(DEFAULT_REQUEST_TIMEOUT_MS)
      .describe(
        'Per-request deadline (a watchdog thread makes V8 terminate the call): a guest that runs longer gets a 500, counts as a fault and is re-instantiated. The host has one thread, so its other tenants wait until then.',
      ),
  })
  .strict()
  .default({ requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS });
export type V8HostOptions = z.infer<typeof V8HostOptions>;

/** The V8 host's command. --trace-sigint keeps Node's SIGINT watchdog thread running, which makes
 * the per-request deadline nearly free (src/wasm-host/deadline.ts). */
export function v8HostArgv(requestTimeoutMs: number, node = process.execPath): string[] {
  return [node, '--trace-sigint', ...V8_WASM_FLAGS, WASM_HOST_MAIN, '--request-timeout-ms', String(requestTimeoutMs)];
}

/** A driver of V8 hosts: one shared by every tenant, or one per tenant. */
export async function v8HostedDriver(name: string, context: RunContext, hosting: 'shared' | 'per-tenant', options: V8HostOptions): Promise<RuntimeDriver> {
  const { hostedWasmDriver } = await import('./wasm-hosted.js');
  return hostedWasmDriver({
    name,
    context,
    hosting,
    // The host is a Node program: on a foreign platform, that platform's node runs it (emulated).
    command: { argv: v8HostArgv(options.requestTimeoutMs, context.platform?.node), serverCpus: context.serverCpus, env: platformEnv(context.platform) },
  });
}

export const V8_HOST_PHASES = ['host-spawn', 'host-start', 'compile', 'instantiate', 'first-call'];

export const wasm = defineRuntime({
  name: 'wasm',
  family: 'wasm',
  summary: 'an instance per tenant in one shared coldbench V8 host (jco)',
  artifacts: ['component'],
  phases: V8_HOST_PHASES,
  options: V8HostOptions,
  available: v8HostAvailable,
  emulates: true,
  microHost: true,
  create: (context, options) => v8HostedDriver('wasm', context, 'shared', options),
});
