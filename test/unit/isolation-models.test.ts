// The isolation claim states each Wasm host's isolation model in words, at the run's settings.
import { describe, expect, it } from 'vitest';
import { isolationModels } from '../../src/report/isolation-models.js';
import type { RunResult } from '../../src/results/types.js';

const result = (runtimes: RunResult['runtimes'], scenario: Record<string, unknown>) => ({ runtimes, scenario }) as unknown as RunResult;

describe('isolation models', () => {
  it('names what a looping tenant holds on each host and variant, with the run’s deadline and memory cap', () => {
    const sentences = isolationModels([
      result(
        [
          { runtime: 'wasm', family: 'wasm', available: true, variants: ['shared-thread', 'worker-per-tenant'] },
          { runtime: 'wasmtime', family: 'wasm', available: true, variants: ['per-tenant'] },
          { runtime: 'docker', family: 'container', available: true },
        ],
        { wasm: { requestTimeoutMs: 500, maxMemoryMiB: 64 } },
      ),
    ]);
    expect(sentences).toHaveLength(3);
    expect(sentences[0]).toMatch(
      /^wasm \(shared-thread\): every tenant on the V8 host's one thread: .*holds all the others until its deadline \(500 ms\).*capped at 64 MiB/,
    );
    expect(sentences[1]).toMatch(/^wasm \(worker-per-tenant\): a worker thread per tenant: a tenant that loops holds only itself/);
    expect(sentences[2]).toMatch(/^wasmtime \(per-tenant\): .*holds no other tenant.*\(10000 ms\).*capped at 128 MiB/);
  });

  it('says nothing of runtimes that were not available or are not Wasm', () => {
    expect(isolationModels([result([{ runtime: 'wasm', family: 'wasm', available: false }], {})])).toEqual([]);
  });
});
