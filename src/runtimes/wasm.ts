// Wasm components in coldbench's V8 host (src/wasm-host/): one Node process that compiles each
// component's core modules once and instantiates them once per tenant, through jco's glue.
import { access } from 'node:fs/promises';
import { WASM_HOST_MAIN } from '../paths.js';
import { defineRuntime, type Availability } from './types.js';
import { nodeScript } from './child.js';

export async function v8HostAvailable(): Promise<Availability> {
  try {
    await access(WASM_HOST_MAIN);
    return { available: true, version: `coldbench V8 host (jco) on node ${process.version}` };
  } catch {
    return { available: false, reason: `the Wasm host is not built (${WASM_HOST_MAIN} is missing)`, fix: 'run `npm run build`' };
  }
}

export const wasm = defineRuntime({
  name: 'wasm',
  summary: 'an instance per tenant in one shared coldbench V8 host (jco)',
  artifacts: ['component'],
  phases: ['host-spawn', 'host-start', 'compile', 'instantiate', 'first-call'],
  available: v8HostAvailable,
  async create(context) {
    const { hostedWasmDriver } = await import('./wasm-hosted.js');
    return hostedWasmDriver({
      name: 'wasm', context, hosting: 'shared',
      command: { argv: nodeScript(WASM_HOST_MAIN), serverCpus: context.serverCpus },
      artifactOf: (artifacts) => artifacts.component!.module,
    });
  },
});
