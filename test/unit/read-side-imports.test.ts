// Reading results loads no measuring: what the measurement kinds' read sides and `compare` load
// (value imports; the registry's runners are imported lazily, when a run measures) reaches no
// runner, no runtime driver, no Docker client and no child process.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../basics.js';

// The kinds' read sides through their registry, and `compare`. (The claims, and so the report
// page, take runtime families from the runtime registry, whose descriptors load their drivers.)
const READERS = ['measure/registry.ts', 'commands/compare.ts', 'report/compare-table.ts'];

/** Every file of src/ the given files load, through static value imports. */
async function loadedBy(entries: string[]): Promise<Set<string>> {
  const graph = await madge(join(ROOT, 'src'), {
    fileExtensions: ['ts'],
    tsConfig: join(ROOT, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: true, skipAsyncImports: true }, es6: { skipAsyncImports: true } },
  });
  const imports = graph.obj();
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(imports[file] ?? []));
  }
  return seen;
}

describe('the read side', () => {
  it('loads no runner, driver, Docker client or child process', async () => {
    const loaded = await loadedBy(READERS);
    expect(loaded.has('measure/coldstart-read.ts'), "the graph was read: the kinds' read sides are loaded").toBe(true);
    // Of src/measure/, only read sides, the registry, the contract and pure helpers of read sides.
    const pure = /^measure\/(.+-read|registry|types|capability-outcomes|density-limits|load-crosscheck|burst-figures|hops-figures)\.ts$/;
    expect([...loaded].filter((f) => f.startsWith('measure/') && !pure.test(f))).toEqual([]);
    // No runtime registry or descriptor (drivers live behind them), no Docker client, no child process.
    const heavy = /^import (?!type )[^;]*from '(node:child_process|dockerode)'|defineRuntime\(/m;
    const offenders = loaded.has('runtimes/registry.ts') ? ['runtimes/registry.ts'] : [];
    for (const file of loaded) if (heavy.test(await readFile(join(ROOT, 'src', file), 'utf8'))) offenders.push(file);
    expect(offenders).toEqual([]);
  });
});
