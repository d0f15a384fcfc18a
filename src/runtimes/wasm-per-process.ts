// Wasm components each in a coldbench V8 host process of its own: every cold start pays host
// start and compile. Set beside `wasm` (one shared host) it shows how much of Wasm's advantage
// comes from the hosting model.
import { defineRuntime } from './types.js';
import { V8_HOST_PHASES, V8HostOptions, v8HostAvailable, v8HostedDriver } from './wasm.js';

export const wasmPerProcess = defineRuntime({
  name: 'wasm-per-process',
  family: 'wasm',
  summary: 'a coldbench V8 host process per tenant (pays host start and compile every time)',
  artifacts: ['component'],
  phases: V8_HOST_PHASES,
  options: V8HostOptions,
  available: v8HostAvailable,
  emulates: true,
  create: (context, options) => v8HostedDriver('wasm-per-process', context, 'per-tenant', options),
});
