// `coldbench clean`: removes the containers and processes that coldbench runs left behind. By
// default only those whose run is over (their harness process is gone), so another user's live
// run is never disturbed; --all removes every one. It also tidies the results files of runs that
// were killed (their journal merged in), as the next read of such a file would.

import { plural } from '../format.js';
import { tidyResultsIn } from '../results/read.js';
import { sweepLeftovers } from '../runtimes/sweep.js';

export async function cleanCommand(options: { all?: boolean; results?: string } = {}): Promise<number> {
  const report = await sweepLeftovers(options.all ? 'all' : 'orphans');
  console.log(
    `removed ${plural(report.containers, 'container')} and ${plural(report.processes, 'process', 'processes')}${options.all ? '' : ' left by runs that are over'}`,
  );
  if (report.dockerUnavailable) console.log('(no Docker engine answered, so containers were not checked)');
  for (const engine of report.enginesUnavailable) console.log(`(${engine} did not answer on its socket, so its containers were not checked)`);
  const tidied = await tidyResultsIn(options.results ?? 'results');
  if (tidied) console.log(`tidied ${plural(tidied, 'results file')} of killed runs in ${options.results ?? 'results'}`);
  return 0;
}
