// `coldbench clean`: removes every container and process any coldbench run created.
import { sweepLeftovers } from '../runtimes/sweep.js';

export async function cleanCommand(): Promise<number> {
  const report = await sweepLeftovers('all');
  console.log(`removed ${report.containers} containers and ${report.processes} processes`);
  if (report.dockerUnavailable) console.log('(no Docker engine answered, so containers were not checked)');
  return 0;
}
