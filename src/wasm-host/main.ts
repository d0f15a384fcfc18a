// The coldbench Wasm host: one Node process serving many tenants, each an instance of a
// wasi:http/proxy component. Listens on 127.0.0.1 only.
// It speaks the control protocol of src/wasm-host/protocol.ts; a component is jco's transpiled glue.
// Usage: main.js --port <port> --artifacts <dir> [--request-timeout-ms <n>], secret in the environment.
// First: it takes the control secret out of the environment before any other module runs.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exitWithParent } from '../parent-watchdog.js';
import { componentGlue, UnknownComponent } from './components.js';
import { authorizer, controlSecret } from './control-secret.js';
import { startWatchdog } from './deadline.js';
import { installJcoCompat } from './jco-compat.js';
import {
  type AddTenantAnswer,
  CONTROL_AUTHORIZATION,
  CONTROL_HEALTH,
  CONTROL_REFERENCE,
  CONTROL_SECRET_ENV,
  CONTROL_STATS,
  CONTROL_TENANTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HostStats,
  READY_LINE,
  type ReferenceAnswer,
  TENANT_ID,
} from './protocol.js';
import { parseReferenceRequest, referenceSeries } from './reference.js';
import { createTenant, faults, invokeTenant, linearMemoryBytes, type Tenant } from './tenants.js';

// Before any component's glue is loaded: see jco-compat.ts (80-85% of a tenant's instantiate time on Node 20).
installJcoCompat();

const USAGE = 'usage: main.js --port <port> --artifacts <dir> [--request-timeout-ms <n>]';

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

startWatchdog();
const tenants = new Map<string, Tenant>();
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
    for (const tenant of tenants.values()) linear += linearMemoryBytes(tenant);
    const stats: HostStats = { pid: process.pid, tenants: tenants.size, linearMemoryBytes: linear, faults };
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
    if (tenants.has(spec.id)) return json(res, 409, { error: `tenant ${spec.id} exists` });
    try {
      const glue = await componentGlue(artifactsDir, typeof spec.component === 'string' ? spec.component : '');
      const added = await createTenant(spec.id, glue, typeof spec.firstPath === 'string' ? spec.firstPath : '/', requestTimeoutMs);
      tenants.set(spec.id, added.tenant);
      const answer: AddTenantAnswer = {
        id: spec.id,
        compileCached: added.compileCached,
        phases: added.phases,
        firstStatus: added.firstStatus,
        linearMemoryBytes: linearMemoryBytes(added.tenant),
      };
      return json(res, 201, answer);
    } catch (error) {
      if (error instanceof UnknownComponent) return json(res, error.malformed ? 400 : 422, { error: error.message });
      return json(res, 422, { error: `cannot add tenant ${spec.id}: ${(error as Error).message.split('\n')[0]}` });
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
      const answer: ReferenceAnswer = { series: await referenceSeries(await componentGlue(artifactsDir, request.component), request) };
      return json(res, 200, answer);
    } catch (error) {
      if (error instanceof UnknownComponent) return json(res, error.malformed ? 400 : 422, { error: error.message });
      return json(res, 422, { error: `cannot instantiate ${request.component}: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  const remove = new RegExp(`^${CONTROL_TENANTS}/([^/]+)$`).exec(path);
  if (req.method === 'DELETE' && remove) {
    return tenants.delete(decodeURIComponent(remove[1]!)) ? json(res, 204) : json(res, 404, { error: 'no such tenant' });
  }
  return json(res, 404, { error: `no control route ${req.method} ${path}` });
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? '/';
  const path = target.split('?')[0]!;
  if (path.startsWith('/_control/')) return control(req, res, path);
  const match = /^\/t\/([^/?]+)(.*)$/.exec(target);
  const tenant = match ? tenants.get(decodeURIComponent(match[1]!)) : undefined;
  if (!match || !tenant) {
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
  const answer = invokeTenant(tenant, {
    method: req.method ?? 'GET',
    target: rest.startsWith('/') ? rest : `/${rest}`,
    headers,
    body: await readBody(req),
  });
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
