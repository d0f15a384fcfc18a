// Wasm components in coldbench's V8 host (src/wasm-host/): one Node process that compiles each
// component's core modules once and instantiates them once per tenant, through jco's glue.
import { access } from 'node:fs/promises';
import { WASM_HOST_MAIN } from '../paths.js';
import { defineRuntime, type Availability, type RunContext, type RuntimeDriver } from './types.js';
import { platformEnv } from './platform.js';

export async function v8HostAvailable(): Promise<Availability> {
  try {
    await access(WASM_HOST_MAIN);
    return { available: true, version: `coldbench V8 host (jco) on node ${process.version}` };
  } catch {
    return { available: false, reason: `the Wasm host is not built (${WASM_HOST_MAIN} is missing)`, fix: 'run `npm run build`' };
  }
}

/** A driver of V8 hosts: one shared by every tenant, or one per tenant. */
export async function v8HostedDriver(name: string, context: RunContext, hosting: 'shared' | 'per-tenant'): Promise<RuntimeDriver> {
  const { hostedWasmDriver } = await import('./wasm-hosted.js');
  return hostedWasmDriver({
    name, context, hosting,
    // The host is a Node program: on a foreign platform, that platform's node runs it (emulated).
    command: { argv: [context.platform?.node ?? process.execPath, WASM_HOST_MAIN], serverCpus: context.serverCpus, env: platformEnv(context.platform) },
    artifactOf: (artifacts) => artifacts.component!.module,
  });
}

export const V8_HOST_PHASES = ['host-spawn', 'host-start', 'compile', 'instantiate', 'first-call'];

export const wasm = defineRuntime({
  name: 'wasm',
  summary: 'an instance per tenant in one shared coldbench V8 host (jco)',
  artifacts: ['component'],
  phases: V8_HOST_PHASES,
  available: v8HostAvailable,
  emulates: true,
  create: (context) => v8HostedDriver('wasm', context, 'shared'),
});
