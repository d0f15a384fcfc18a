// The runtime registry: every runtime is one file in this folder exporting a descriptor, and one
// line here. Names, build targets, phase order, CLI help, doctor and the scenario's JSON Schema
// all come from these descriptors; drivers are loaded only when a runtime is used.

import { docker } from './docker.js';
import { dockerServices } from './docker-services.js';
import { fake, fakeWasm } from './fake.js';
import { podman } from './podman.js';
import { processRuntime } from './process.js';
import { processServices } from './process-services.js';
import type { RuntimeDescriptor } from './types.js';
import { wasm } from './wasm.js';
import { wasmPerProcess } from './wasm-per-process.js';
import { wasmtime } from './wasmtime.js';
import { wasmtimeServe } from './wasmtime-serve.js';
import { wasmtimeServices } from './wasmtime-services.js';

const RUNTIMES: RuntimeDescriptor<any>[] = [
  docker,
  podman,
  wasm,
  wasmPerProcess,
  wasmtime,
  wasmtimeServe,
  processRuntime,
  processServices,
  dockerServices,
  wasmtimeServices,
];

// The fake runtimes exist for the harness's own tests only (COLDBENCH_TEST_RUNTIMES=1).
export function runtimeDescriptors(): readonly RuntimeDescriptor<any>[] {
  return process.env.COLDBENCH_TEST_RUNTIMES === '1' ? [...RUNTIMES, fake, fakeWasm] : RUNTIMES;
}

export function runtimeNames(): string[] {
  return runtimeDescriptors().map((r) => r.name);
}

export function runtimeDescriptor(name: string): RuntimeDescriptor<any> {
  const found = runtimeDescriptors().find((r) => r.name === name);
  if (!found) throw new Error(`unknown runtime "${name}", expected one of: ${runtimeNames().join(', ')}`);
  return found;
}
