// A worker thread of the V8 host that runs some of its tenants (isolation.ts): the same tenant code
// as the host's own thread, without the SIGINT deadline (which reaches only the main thread): the
// host enforces the deadline from outside, by terminating this worker.
import { parentPort } from 'node:worker_threads';
import { importGlue, type LoadedComponent } from './components.js';
import { installJcoCompat } from './jco-compat.js';
import { createTenant, invokeTenant, type Tenant, unguarded } from './tenants.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

installJcoCompat();
const port =
  parentPort ??
  (() => {
    throw new Error('tenant-worker.js runs only as a worker thread');
  })();
const tenants = new Map<string, Tenant>();
const components = new Map<string, LoadedComponent>();

async function component(glue: string, modules: [string, WebAssembly.Module][]): Promise<LoadedComponent> {
  let known = components.get(glue);
  if (!known) {
    known = { instantiate: await importGlue(glue), modules: new Map(modules) };
    components.set(glue, known);
  }
  return known;
}

async function handle(message: ToWorker): Promise<FromWorker> {
  if (message.op === 'invoke') {
    const tenant = tenants.get(message.id);
    if (!tenant) return { ok: false, error: `no tenant ${message.id} in this worker` };
    return { ok: true, invoked: invokeTenant(tenant, message.request, unguarded) };
  }
  if (message.op === 'remove') {
    tenants.delete(message.id);
    return { ok: true };
  }
  const loaded = await component(message.glue, message.modules);
  const added = createTenant(message.id, loaded, message.glue, message.firstPath, message.limits, unguarded);
  tenants.set(message.id, added.tenant);
  return { ok: true, phases: added.phases, invoked: added.first };
}

port.on('message', (message: ToWorker) => {
  handle(message).then(
    (answer) => port.postMessage(answer),
    (error: Error) => port.postMessage({ ok: false, error: String(error?.message ?? error).split('\n')[0]! } satisfies FromWorker),
  );
});
port.postMessage({ ready: true } satisfies FromWorker);
