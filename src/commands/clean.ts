// `coldbench clean`: removes the containers and processes that coldbench runs left behind. By
// default only those whose run is over (their harness process is gone), so another user's live
// run is never disturbed; --all removes every one.

import { plural } from '../format.js';
import { sweepLeftovers } from '../runtimes/sweep.js';

export async function cleanCommand(options: { all?: boolean } = {}): Promise<number> {
  const report = await sweepLeftovers(options.all ? 'all' : 'orphans');
  console.log(
    `removed ${plural(report.containers, 'container')} and ${plural(report.processes, 'process', 'processes')}${options.all ? '' : ' left by runs that are over'}`,
  );
  if (report.dockerUnavailable) console.log('(no Docker engine answered, so containers were not checked)');
  return 0;
}
