// A run's reaper: a process of its own, started with the run, that outlives a harness killed with
// -9 and removes what the run left (its marked processes, its labelled containers) as soon as the
// harness is gone, which it sees as the end of its stdin (the kernel closes the harness's end).
import { sweepRun } from './sweep.js';

const runId = process.argv[2]!;
// Signals are the harness's to handle: it cleans up, then its exit ends our stdin.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);

const SWEEP_LIMIT_MS = 60_000; // an engine that stopped answering must not keep the reaper for ever

process.stdin.on('close', () => {
  setTimeout(() => {
    process.stderr.write(
      `coldbench: could not finish removing what run ${runId} left within ${SWEEP_LIMIT_MS / 1000} s; \`coldbench clean\` removes the rest\n`,
    );
    process.exit(1);
  }, SWEEP_LIMIT_MS).unref();
  void sweepRun(runId).then(
    (report) => {
      if (report.containers || report.processes) {
        process.stderr.write(
          `coldbench: removed ${report.containers} container(s) and ${report.processes} process(es) of run ${runId}, whose harness ended without cleaning up\n`,
        );
      }
      process.exit(0);
    },
    () => process.exit(1),
  );
});
process.stdin.resume();
