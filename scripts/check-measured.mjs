#!/usr/bin/env node
// Fails (exit 1) unless every runtime a results file lists was available and has samples, and the
// run completed: a runtime that is skipped on a machine meant to have it (CI, the non-root proof)
// must turn the job red instead of passing with less measured. Usage: node scripts/check-measured.mjs results/*.json
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('check-measured: expected one or more results files (results/*.json)');
  process.exit(2);
}
let problems = 0;
for (const file of files) {
  let result;
  try {
    result = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`check-measured: ${file}: not a results file (${error.message})`);
    problems++;
    continue;
  }
  const fail = (message) => {
    console.error(`check-measured: ${file}: ${message}`);
    problems++;
  };
  if (result.status !== 'complete') fail(`the run is ${result.status}, expected complete`);
  const counts = new Map();
  for (const sample of result.samples ?? []) if (sample.runtime) counts.set(sample.runtime, (counts.get(sample.runtime) ?? 0) + 1);
  for (const runtime of result.runtimes ?? []) {
    if (!runtime.available) fail(`${runtime.runtime} was not measured: ${runtime.reason ?? 'unavailable'}`);
    else if (!counts.get(runtime.runtime)) fail(`${runtime.runtime} was available but has no samples`);
    else console.log(`check-measured: ${file}: ${runtime.runtime} measured (${counts.get(runtime.runtime)} samples, ${runtime.version ?? '?'})`);
  }
  for (const warning of result.warnings ?? []) if (warning.kind === 'failed' || warning.kind === 'not-verified') fail(`${warning.kind}: ${warning.message}`);
}
process.exit(problems ? 1 : 0);
