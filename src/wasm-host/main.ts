// The coldbench Wasm host: one Node process serving many tenants, each an instance of a
// wasi:http/proxy component. Listens on 127.0.0.1 only.
// It speaks the control protocol of src/wasm-host/protocol.ts; a component is jco's transpiled glue.
// Where tenants run (the host's thread or worker threads) is isolation.ts's.
// Usage: main.js --port <port> --artifacts <dir> [--request-timeout-ms <n>] [--max-memory-mib <n>]
// [--isolation shared-thread|worker-per-tenant|worker-pool] [--pool-workers <n>], secret in the environment.
// First: it takes the control secret out of the environment before any other module runs.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { exitWithParent } from '../parent-watchdog.js';
import { componentGlue, UnknownComponent } from './components.js';
import { authorizer, controlSecret } from './control-secret.js';
import { startWatchdog } from './deadline.js';
import { placement } from './isolation.js';
import { installJcoCompat } from './jco-compat.js';
import {
  type AddTenantAnswer,
  CONTROL_AUTHORIZATION,
  CONTROL_HEALTH,
  CONTROL_REFERENCE,
  CONTROL_SECRET_ENV,
  CONTROL_STATS,
  CONTROL_TENANTS,
  DEFAULT_MAX_MEMORY_MIB,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HostStats,
  ISOLATIONS,
  type Isolation,
  LARGEST_MAX_MEMORY_MIB,
  READY_LINE,
  type ReferenceAnswer,
  TENANT_ID,
  type TenantTrouble,
} from './protocol.js';
import { parseReferenceRequest, referenceSeries } from './reference.js';
import type { Invoked } from './tenants.js';

// Before any component's glue is loaded: see jco-compat.ts (80-85% of a tenant's instantiate time on Node 20).
installJcoCompat();

const USAGE = `usage: main.js --port <port> --artifacts <dir> [--request-timeout-ms <n>] [--max-memory-mib <n>] [--isolation ${ISOLATIONS.join('|')}] [--pool-workers <n>]`;

function fail(message: string): never {
  console.error(`coldbench V8 host: ${message}`);
  process.exit(2);
}

function option(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
}

const secret = controlSecret ?? fail(`the control secret is missing (environment variable ${CONTROL_SECRET_ENV})`);
const authorized = authorizer(secret);
const port = Number(option('--port'));
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`--port: expected a port number; ${USAGE}`);
const artifactsDir = option('--artifacts') || fail(`--artifacts: expected the directory of built components; ${USAGE}`);
const requestTimeoutMs = Number(option('--request-timeout-ms') ?? DEFAULT_REQUEST_TIMEOUT_MS);
if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0) fail(`--request-timeout-ms: expected a positive whole number of ms; ${USAGE}`);
const maxMemoryMiB = Number(option('--max-memory-mib') ?? DEFAULT_MAX_MEMORY_MIB);
if (!Number.isInteger(maxMemoryMiB) || maxMemoryMiB < 1 || maxMemoryMiB > LARGEST_MAX_MEMORY_MIB)
  fail(`--max-memory-mib: expected 1 to ${LARGEST_MAX_MEMORY_MIB}; ${USAGE}`);
const isolation = (option('--isolation') ?? 'shared-thread') as Isolation;
if (!ISOLATIONS.includes(isolation)) fail(`--isolation: expected one of ${ISOLATIONS.join(', ')}; ${USAGE}`);
const poolWorkers = Number(option('--pool-workers') ?? availableParallelism());
if (!Number.isInteger(poolWorkers) || poolWorkers < 1 || poolWorkers > 1024) fail(`--pool-workers: expected 1 to 1024; ${USAGE}`);
const limits = { deadlineMs: requestTimeoutMs, maxMemoryBytes: maxMemoryMiB * 1048576 };

startWatchdog();
const tenants = await placement(isolation, limits, poolWorkers);
/** What the host knows of each tenant, from its last answer; faults counted here, whichever thread ran the guest. */
const records = new Map<string, TenantTrouble & { linearMemoryBytes: number; droppedReported: number }>();
// Ids being added, each with a promise settled when its add ends: a request that arrives with its
// tenant's deploy waits for it (as a platform scaling from zero holds it) instead of a 404.
const adding = new Map<string, Promise<void>>();
let faults = 0;

function noteAnswer(id: string, answer: Invoked): void {
  const record = records.get(id);
  if (answer.fault) faults++;
  if (!record) return;
  if (answer.fault) record.faults++;
  // A tenant's drops are counted where it runs, from zero again in a worker that replaced another.
  const reported = answer.outputDroppedBytes;
  record.outputDroppedBytes += reported >= record.droppedReported ? reported - record.droppedReported : reported;
  record.droppedReported = reported;
  record.linearMemoryBytes = answer.linearMemoryBytes;
}
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// The heap in use after the last full collection: what is live, whatever garbage waits for the
// next one (V8 lets it pile up while memory is plentiful). Read from V8's own GC records, so
// nothing forces a collection that would stall every tenant.
const gcRecords = new GCProfiler();
gcRecords.start();
let liveBytes: number | undefined;

function hostHeap(): HostStats['heap'] {
  for (const gc of gcRecords.stop().statistics) if (gc.gcType === 'MarkSweepCompact') liveBytes = gc.afterGC.heapStatistics.usedHeapSize;
  gcRecords.start();
  const heap = getHeapStatistics();
  return { usedBytes: heap.used_heap_size, totalBytes: heap.total_heap_size, externalBytes: heap.external_memory, liveBytes };
}

function json(res: ServerResponse, status: number, value?: unknown): void {
  const body = value === undefined ? '' : JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (!authorized(req.headers[CONTROL_AUTHORIZATION])) {
    req.resume();
    return json(res, 401, { error: "the control API needs the host's secret" });
  }
  if (req.method === 'GET' && path === CONTROL_HEALTH) return json(res, 200, { ok: true, pid: process.pid });
  if (req.method === 'GET' && path === CONTROL_STATS) {
    let linear = 0;
    const perTenant: Record<string, TenantTrouble> = {};
    for (const [id, { linearMemoryBytes, faults, outputDroppedBytes }] of records) {
      linear += linearMemoryBytes;
      if (faults > 0 || outputDroppedBytes > 0) perTenant[id] = { faults, outputDroppedBytes };
    }
    const stats: HostStats & { isolation: Isolation } = {
      pid: process.pid,
      tenants: records.size,
      linearMemoryBytes: linear,
      faults,
      maxMemoryBytes: limits.maxMemoryBytes,
      perTenant,
      heap: hostHeap(),
      isolation,
    };
    return json(res, 200, stats);
  }
  if (req.method === 'POST' && path === CONTROL_TENANTS) {
    let spec: { id?: unknown; component?: unknown; firstPath?: unknown };
    try {
      spec = JSON.parse((await readBody(req)).toString() || '{}');
    } catch {
      return json(res, 400, { error: 'body must be JSON: {"id", "component", "firstPath"}' });
    }
    if (typeof spec.id !== 'string' || !TENANT_ID.test(spec.id)) return json(res, 400, { error: 'id: expected 1-128 letters, digits, ".", "_" or "-"' });
    const id = spec.id;
    if (records.has(id) || adding.has(id)) return json(res, 409, { error: `tenant ${id} exists` });
    let addEnded = () => {};
    adding.set(
      id,
      new Promise<void>((resolve) => {
        addEnded = resolve;
      }),
    );
    try {
      const glue = await componentGlue(artifactsDir, typeof spec.component === 'string' ? spec.component : '');
      const added = await tenants.add(id, glue, typeof spec.firstPath === 'string' ? spec.firstPath : '/');
      records.set(id, { faults: 0, outputDroppedBytes: 0, linearMemoryBytes: 0, droppedReported: 0 });
      noteAnswer(id, added.first);
      const answer: AddTenantAnswer = {
        id,
        compileCached: added.compileCached,
        phases: added.phases,
        firstStatus: added.first.response.status,
        linearMemoryBytes: added.first.linearMemoryBytes,
        repliedAtNs: Number(process.hrtime.bigint()),
      };
      return json(res, 201, answer);
    } catch (error) {
      if (error instanceof UnknownComponent) return json(res, error.malformed ? 400 : 422, { error: error.message });
      return json(res, 422, { error: `cannot add tenant ${id}: ${(error as Error).message.split('\n')[0]}` });
    } finally {
      adding.delete(id);
      addEnded();
    }
  }
  if (req.method === 'POST' && path === CONTROL_REFERENCE) {
    let request: ReturnType<typeof parseReferenceRequest>;
    try {
      request = parseReferenceRequest(JSON.parse((await readBody(req)).toString() || 'null'));
    } catch {
      return json(res, 400, { error: 'bad body: not JSON' });
    }
    if (typeof request === 'string') return json(res, 400, { error: request });
    try {
      const answer: ReferenceAnswer = { series: await referenceSeries(await componentGlue(artifactsDir, request.component), request, limits.maxMemoryBytes) };
      return json(res, 200, answer);
    } catch (error) {
      if (error instanceof UnknownComponent) return json(res, error.malformed ? 400 : 422, { error: error.message });
      return json(res, 422, { error: `cannot instantiate ${request.component}: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  const remove = new RegExp(`^${CONTROL_TENANTS}/([^/]+)$`).exec(path);
  if (req.method === 'DELETE' && remove) {
    const id = decodeURIComponent(remove[1]!);
    if (!records.delete(id)) return json(res, 404, { error: 'no such tenant' });
    await tenants.remove(id);
    return json(res, 204);
  }
  return json(res, 404, { error: `no control route ${req.method} ${path}` });
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? '/';
  const path = target.split('?')[0]!;
  if (path.startsWith('/_control/')) return control(req, res, path);
  const match = /^\/t\/([^/?]+)(.*)$/.exec(target);
  const id = match ? decodeURIComponent(match[1]!) : undefined;
  if (id !== undefined && !records.has(id)) await adding.get(id);
  if (!match || id === undefined || !records.has(id)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no such tenant\n');
    return;
  }
  const rest = match[2]!;
  const headers: [string, Uint8Array][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers.push([name, Buffer.from(req.rawHeaders[i + 1]!)]);
  }
  const invoked = await tenants.invoke(id, {
    method: req.method ?? 'GET',
    target: rest.startsWith('/') ? rest : `/${rest}`,
    headers,
    body: await readBody(req),
  });
  noteAnswer(id, invoked);
  const answer = invoked.response;
  const outHeaders: Record<string, string> = {};
  for (const [name, value] of answer.headers) if (!HOP_BY_HOP.has(name)) outHeaders[name] = Buffer.from(value).toString();
  outHeaders['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, outHeaders);
  res.end(answer.body);
}

const server = createServer((req, res) => {
  route(req, res).catch((error: Error) => {
    if (!res.headersSent) json(res, 500, { error: error.message });
    else res.destroy();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => console.log(`${READY_LINE} ${port} ${process.pid}`));

// SIGTERM only: a SIGINT listener would stop the SIGINT watchdog that --trace-sigint keeps
// running, and the per-request deadline would start a thread per call again (deadline.ts).
process.on('SIGTERM', () => process.exit(0));
exitWithParent(0);
