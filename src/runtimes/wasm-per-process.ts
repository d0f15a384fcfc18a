// Wasm components each in a coldbench V8 host process of its own: every cold start pays host
// start and compile. Set beside `wasm` (one shared host) it shows how much of Wasm's advantage
// comes from the hosting model.
import { WASM_HOST_MAIN } from '../paths.js';
import { defineRuntime } from './types.js';
import { nodeScript } from './child.js';
import { v8HostAvailable } from './wasm.js';

export const wasmPerProcess = defineRuntime({
  name: 'wasm-per-process',
  summary: 'a coldbench V8 host process per tenant (pays host start and compile every time)',
  artifacts: ['component'],
  phases: ['host-spawn', 'host-start', 'compile', 'instantiate', 'first-call'],
  available: v8HostAvailable,
  async create(context) {
    const { hostedWasmDriver } = await import('./wasm-hosted.js');
    return hostedWasmDriver({
      name: 'wasm-per-process', context, hosting: 'per-tenant',
      command: { argv: nodeScript(WASM_HOST_MAIN), serverCpus: context.serverCpus },
      artifactOf: (artifacts) => artifacts.component!.module,
    });
  },
});
