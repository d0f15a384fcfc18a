// The component build's own process (see build-in-child.ts): a workload as JSON in argv, the
// build record as JSON on the last line of stdout, or one line on stderr and exit 1.

import { exitWithParent } from '../parent-watchdog.js';
import { buildComponent } from './build-component.js';
import type { Workload } from './catalog.js';

exitWithParent(1); // checked between steps: wizer blocks this loop

try {
  const record = await buildComponent(JSON.parse(process.argv[2]!) as Workload);
  // On a line of its own, last: anything a tool printed before it is not part of the answer.
  process.stdout.write(`\n${JSON.stringify(record)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
