// What coldbench changes in jco's generated glue: the record of created resource reps, which only
// grows (a V8 host's tenant leaked a few hundred bytes per request through it), and nothing else.
import { describe, expect, it } from 'vitest';
import { fixedGlue } from '../../src/workloads/jco-glue.js';

const GLUE = `  function rscTableCreateOwn(table, rep) {
    const free = table[0] & ~T_FLAG;
    table._createdReps.add(rep);
    if (free === 0) {
      table.push(0);
`;

describe("jco's glue, as coldbench writes it", () => {
  it('no longer records every created rep, and keeps every other line', () => {
    const fixed = fixedGlue(GLUE);
    expect(fixed).not.toContain('_createdReps.add');
    expect(fixed.split('\n')).toHaveLength(GLUE.split('\n').length);
    expect(fixed.split('\n')[2]).toBe('    // coldbench: no record of created reps here (src/workloads/jco-glue.ts)');
    expect(fixed.replace(/^.*coldbench.*$/m, '    table._createdReps.add(rep);')).toBe(GLUE);
  });

  it('leaves glue without the record as it is', () => {
    const other = 'function rscTableCreateOwn(table, rep) {\n  return table.push(rep);\n}\n';
    expect(fixedGlue(other)).toBe(other);
  });
});
