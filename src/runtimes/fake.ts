// FOR TESTS ONLY (registered when COLDBENCH_TEST_RUNTIMES=1): a runtime that needs no engine and
// no build. Each tenant is an HTTP server inside the harness process on 127.0.0.1 that answers
// the workload's declared requests with their declared answers, so `run`, the measurements, the
// results file and the report are tested end to end on a machine without Docker.
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { allocatePort, releasePort } from './ports.js';
import type { Deployment, RuntimeDriver, RuntimeFamily } from './types.js';
import { defineRuntime } from './types.js';

interface FakeDeployment extends Deployment {
  server: Server;
  port: number;
}

const FakeOptions = z
  .object({
    bytesPerTenant: z
      .number()
      .int()
      .min(0)
      .default(1 << 20)
      .describe('What memory() reports per tenant.'),
    answers: z.enum(['declared', 'wrong']).default('declared').describe('wrong: every request gets a 500, so no tenant passes verify.'),
    variants: z
      .array(z.string().regex(/^[A-Za-z0-9._/-]{1,40}$/))
      .min(1)
      .optional()
      .describe('Measure it as these variants (each its own driver), as runtimes with instance models or OCI runtimes are.'),
  })
  .strict()
  .default({ bytesPerTenant: 1 << 20, answers: 'declared' });

/** A fake runtime of a family: `fake` (process) for the runner's tests, `fake-wasm` to show a new Wasm runtime needs no change elsewhere. */
const fakeRuntime = (name: string, family: RuntimeFamily) =>
  defineRuntime({
    name,
    family,
    summary: `tests only: tenants are in-process servers that give the declared answers (family ${family})`,
    artifacts: [],
    phases: ['listen'],
    options: FakeOptions,
    variants: (options) => options.variants,
    async available() {
      return { available: true, version: 'fake runtime (tests only)' };
    },
    async create(_context, options, variant): Promise<RuntimeDriver> {
      const live = new Set<FakeDeployment>();
      const driver: RuntimeDriver = {
        name,
        ...(variant ? { variant } : {}),
        async deploy(artifacts, tenantId) {
          const port = await allocatePort();
          const server = createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', (chunk: Buffer) => chunks.push(chunk));
            req.on('end', () => {
              const body = Buffer.concat(chunks).toString();
              const declared =
                options.answers === 'wrong'
                  ? undefined
                  : artifacts.workload.requests.find((r) => r.method === req.method && r.path === req.url && (r.body ?? '') === body);
              res.writeHead(declared?.expect.status ?? (options.answers === 'wrong' ? 500 : 404), { 'content-type': 'text/plain' });
              res.end(declared?.expect.body ?? 'not declared\n');
            });
          });
          const started = performance.now();
          await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
          const deployment: FakeDeployment = {
            runtime: name,
            ...(variant ? { variant } : {}),
            tenantId,
            baseUrl: `http://127.0.0.1:${port}`,
            phases: [{ phase: 'listen', ms: performance.now() - started }],
            server,
            port,
          };
          live.add(deployment);
          return deployment;
        },
        async teardown(deployment) {
          const d = deployment as FakeDeployment;
          live.delete(d);
          d.server.closeAllConnections();
          await new Promise<void>((resolve) => d.server.close(() => resolve()));
          releasePort(d.port);
        },
        async cpuSeconds() {
          const usage = process.cpuUsage();
          return (usage.user + usage.system) / 1e6;
        },
        async memory(deployments) {
          return [{ method: 'declared', bytes: deployments.length * options.bytesPerTenant }];
        },
        async dispose() {
          await Promise.all([...live].map((d) => driver.teardown(d)));
        },
      };
      return driver;
    },
  });

export const fake = fakeRuntime('fake', 'process');
export const fakeWasm = fakeRuntime('fake-wasm', 'wasm');
