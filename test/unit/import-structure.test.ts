// The structure the code keeps: no import cycle in src/ (type-only imports included), and the
// results file format (src/results/types.ts) imports nothing, so every part may depend on it.
import madge from 'madge';
import { describe, expect, it } from 'vitest';

describe('import structure', () => {
  it('has no import cycle in src/ and a file format that imports nothing', async () => {
    const graph = await madge('src', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json', detectiveOptions: { ts: { skipTypeImports: false } } });
    expect(graph.circular()).toEqual([]);
    expect(graph.obj()['results/types.ts']).toEqual([]);
    // The graph was read: the registries reach every runtime and measurement kind.
    expect(graph.obj()['runtimes/registry.ts']?.length).toBeGreaterThan(5);
  }, 90_000); // madge reads every file: seconds when idle, half a minute on a loaded 2-core machine
});
