// The micro measurement's process (see micro.ts): loads a component exactly as the V8 host does
// and times, with tinybench, adding a tenant (instantiate and first call, in-process) and one
// request through the guest. Input: JSON in argv; output: JSON of per-task latencies, on stdout.
import { Bench } from 'tinybench';
import { exitWithParent } from '../parent-watchdog.js';
import { loadComponent } from '../wasm-host/components.js';
import { startWatchdog, withDeadline } from '../wasm-host/deadline.js';
import { installJcoCompat } from '../wasm-host/jco-compat.js';
import { DEFAULT_MAX_MEMORY_MIB, DEFAULT_REQUEST_TIMEOUT_MS } from '../wasm-host/protocol.js';
import { createTenant, invokeTenant } from '../wasm-host/tenants.js';
import type { MicroInput, MicroOutput } from './micro-types.js';

installJcoCompat(); // as the host does, before any component's glue is loaded
startWatchdog(); // and with its per-request deadline (this process runs under --trace-sigint, as the host)

const input = JSON.parse(process.argv[2]!) as MicroInput;
exitWithParent(1);

// As the host's shared thread runs a tenant, at its default limits.
const limits = { deadlineMs: DEFAULT_REQUEST_TIMEOUT_MS, maxMemoryBytes: DEFAULT_MAX_MEMORY_MIB * 1048576 };
const { component } = await loadComponent(input.module, limits.maxMemoryBytes); // compiles once
const add = (id: string) => createTenant(id, component, input.module, input.path, limits, withDeadline);
const { tenant } = add('micro-request');
const request = { method: 'GET', target: input.path, headers: [] as [string, Uint8Array][], body: new Uint8Array(0) };
let added = 0;
const bench = new Bench({ time: input.timeMs, warmupTime: Math.min(200, input.timeMs), retainSamples: false });
bench.add('add-tenant', () => {
  add(`micro-${added++}`);
});
bench.add('request', () => {
  if (invokeTenant(tenant, request, withDeadline).response.status >= 500) throw new Error(`GET ${input.path} failed inside the guest`);
});
await bench.run();

const output: MicroOutput = {};
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state === 'errored' ? result.error.message : result.state}`);
  output[task.name] = { p50: result.latency.p50, p99: result.latency.p99, runs: result.latency.samplesCount };
}
process.stdout.write(JSON.stringify(output));
process.exit(0);
