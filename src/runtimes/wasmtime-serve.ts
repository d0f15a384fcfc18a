// The upstream CLI as platforms run it: `wasmtime serve --addr 127.0.0.1:PORT`, one process per
// tenant (wasmtime serve makes a fresh store and instance per request from one pre-linked
// component). Variants combine how the component is loaded with the instance allocator:
// `compile` (compiled at every start, cache off) or `precompiled` (`wasmtime compile` once, then
// `--allow-precompiled` loads the .cwasm); `pooling` (`-O pooling-allocator=y`, how wasmtime's own
// serve benchmark runs) or `default` (wasmtime's on-demand allocator): e.g. `precompiled-pooling`.

import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { access, mkdir, rename } from 'node:fs/promises';
import { arch } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { pinnedTo, startChild, stopChild, waitForOutput } from './child.js';
import { childrenCpuSeconds, childrenMemory } from './child-readings.js';
import { allocatePort, releasePort } from './ports.js';
import type { Deployment, RuntimeDriver } from './types.js';
import { defineRuntime } from './types.js';
import { PRECOMPILED_DIR, WASMTIME_CLI_BIN, WASMTIME_VERSION, wasmtimeCliAvailable } from './wasmtime-build.js';

const run = promisify(execFile);
const VARIANTS = ['precompiled', 'compile'] as const;
const ALLOCATORS = ['pooling', 'default'] as const;
type Allocator = (typeof ALLOCATORS)[number];
// The same engine settings for `compile` and `serve`: a .cwasm only loads into a matching engine.
const engineFlags = (allocator: Allocator) => ['-O', `pooling-allocator=${allocator === 'pooling' ? 'y' : 'n'}`];

interface ServeDeployment extends Deployment {
  child: ChildProcess;
  port: number;
}

const ServeOptions = z
  .object({
    variants: choiceList(VARIANTS, 'variant')
      .default(['precompiled'])
      .describe('precompiled: `wasmtime compile` once, every tenant loads the .cwasm; compile: every tenant compiles the component at start (cache off).'),
    allocators: choiceList(ALLOCATORS, 'allocator')
      .default(['pooling'])
      .describe(
        "pooling: `-O pooling-allocator=y` (as wasmtime's own serve benchmark runs); default: wasmtime's on-demand allocator. Each is measured with each of `variants`, as e.g. precompiled-pooling.",
      ),
  })
  .strict()
  .default({ variants: ['precompiled'], allocators: ['pooling'] });

/** `precompiled-pooling` -> its two parts (the load mode, the allocator). */
function parseVariant(variant: string | undefined): { mode: (typeof VARIANTS)[number]; allocator: Allocator } {
  const [mode, allocator] = (variant ?? '').split('-');
  return { mode: mode === 'compile' ? 'compile' : 'precompiled', allocator: allocator === 'default' ? 'default' : 'pooling' };
}

/** The .cwasm of a component for this wasmtime and CPU, compiled on first use. */
async function precompiled(artifacts: WorkloadArtifacts, allocator: Allocator): Promise<{ file: string; compileMs?: number }> {
  const component = artifacts.component!;
  const file = join(PRECOMPILED_DIR, `serve-${component.hash}-${WASMTIME_VERSION}-${arch()}-${allocator}.cwasm`);
  if (
    await access(file).then(
      () => true,
      () => false,
    )
  )
    return { file };
  await mkdir(PRECOMPILED_DIR, { recursive: true });
  const started = performance.now();
  const partial = `${file}.${process.pid}.tmp`;
  await run(WASMTIME_CLI_BIN, ['compile', ...engineFlags(allocator), component.wasm, '-o', partial]).catch((error: { stderr?: string }) => {
    throw new Error(`wasmtime compile failed for ${artifacts.workload.name}: ${(error.stderr ?? String(error)).trim().split('\n')[0]}`);
  });
  await rename(partial, file);
  return { file, compileMs: performance.now() - started };
}

export const wasmtimeServe = defineRuntime({
  name: 'wasmtime-serve',
  family: 'wasm',
  summary: 'the upstream `wasmtime serve` CLI, a process per tenant (fresh instance per request)',
  artifacts: ['component'],
  phases: ['compile', 'spawn', 'load'],
  options: ServeOptions,
  variants: (options) => options.variants.flatMap((mode) => options.allocators.map((allocator) => `${mode}-${allocator}`)),
  available: wasmtimeCliAvailable,
  async create(context, _options, variant): Promise<RuntimeDriver> {
    const { mode, allocator } = parseVariant(variant);
    const name = `${mode}-${allocator}`;
    const live = new Set<ServeDeployment>();
    const driver: RuntimeDriver = {
      name: 'wasmtime-serve',
      variant: name,
      async prepare(artifacts) {
        if (mode !== 'precompiled') return [];
        const { compileMs } = await precompiled(artifacts, allocator);
        return compileMs === undefined ? [] : [{ phase: 'compile', ms: compileMs }];
      },
      async deploy(artifacts, tenantId) {
        if (!artifacts.component) throw new Error(`workload ${artifacts.workload.name} has no component built`);
        const source =
          mode === 'precompiled' ? ['--allow-precompiled', (await precompiled(artifacts, allocator)).file] : ['-C', 'cache=n', artifacts.component.wasm];
        const port = await allocatePort();
        // -S cli=y: the C components' libc imports wasi:cli beyond the proxy world (no env, no preopens are given).
        const argv = [WASMTIME_CLI_BIN, 'serve', '--addr', `127.0.0.1:${port}`, '-S', 'cli=y', ...engineFlags(allocator), ...source];
        let child: ChildProcess | undefined;
        try {
          const started = await startChild(context.runId, pinnedTo(context.serverCpus, argv), {}, false);
          child = started.child;
          const spawned = performance.now();
          await waitForOutput(child, 'Serving HTTP on', 'wasmtime serve');
          const deployment: ServeDeployment = {
            runtime: 'wasmtime-serve',
            variant: name,
            tenantId,
            baseUrl: `http://127.0.0.1:${port}`,
            child,
            port,
            phases: [
              { phase: 'spawn', ms: started.spawnMs },
              { phase: mode === 'precompiled' ? 'load' : 'compile', ms: performance.now() - spawned },
            ],
          };
          live.add(deployment);
          return deployment;
        } catch (error) {
          if (child) await stopChild(child);
          releasePort(port);
          throw error;
        }
      },
      async teardown(deployment) {
        const d = deployment as ServeDeployment;
        live.delete(d);
        await stopChild(d.child);
        releasePort(d.port);
      },
      cpuSeconds: (deployments) => childrenCpuSeconds(deployments.map((d) => (d as ServeDeployment).child)),
      memory: (deployments) => childrenMemory(deployments.map((d) => (d as ServeDeployment).child)),
      async dispose() {
        await Promise.all([...live].map((d) => driver.teardown(d)));
      },
    };
    return driver;
  },
});
