// A component's jco glue is written fixed (src/workloads/jco-glue.ts): the glue coldbench builds
// for hello-c holds no record of created reps, the record jco 1.35 keeps and never empties.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { artifactsFor } from './helpers.js';

describe("a built component's glue", () => {
  it('has no record of created reps', async () => {
    const hello = await artifactsFor('hello-c', ['wasm']);
    const glue = await readFile(hello.component!.module!, 'utf8');
    expect(glue).toContain('rscTableCreateOwn');
    expect(glue).not.toContain('_createdReps.add(');
    expect(glue).toContain('coldbench: no record of created reps here');
  }, 300_000);
});
