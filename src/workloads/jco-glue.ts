// What coldbench changes in jco's generated glue before a host loads it, and why. The revision is
// part of every component's cache key, so changing what is done here rebuilds the glue.
//
// jco 1.35's glue records every resource rep it hands out in `table._createdReps`, a Set that
// nothing reads or empties: one entry per resource, so a V8 host's tenant leaks a few hundred
// bytes per request for as long as its instance lives. Measured on the V8 host, one hello-c
// tenant, 200,000 requests: live heap 8.3 -> 52 MiB with the record, 7.1 -> 7.5 MiB without.
export const JCO_GLUE_REVISION = 'created-reps-record-removed';

const CREATED_REPS_RECORD = /^(\s*)table\._createdReps\.add\(rep\);$/gm;

/** jco's glue (component.js) without its record of created reps; other glue is returned as it is. */
export function fixedGlue(glue: string): string {
  return glue.replace(CREATED_REPS_RECORD, '$1// coldbench: no record of created reps here (src/workloads/jco-glue.ts)');
}
