// How a run ends when it is interrupted (Ctrl-C, SIGTERM, a closed stdout) or fails: the drivers
// release their tenants, and the results file says "interrupted" or "failed" with the reason.
import { onImmediateExit, onShutdown, runCleanups, shutdownSignal } from '../lifecycle.js';
import type { ResultsRecorder } from '../results/recorder.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import { withTimeout } from '../timeout.js';

const DISPOSE_TIMEOUT_MS = 60_000;

export function wireShutdown(recorder: ResultsRecorder, drivers: RuntimeDriver[]): void {
  onShutdown(() => disposeDrivers(drivers));
  onImmediateExit(() => recorder.finishNow(`${interruption() ?? 'interrupted'}, then interrupted again: the run's reaper removed its tenants`));
  // Registered last, so it runs first when a signal outlasts the grace period: the results file
  // says "interrupted" with the reason, whatever the measurement was doing.
  onShutdown(async () => {
    if (!recorder.running) return;
    const reason = interruption() ?? 'the run ended before it finished';
    recorder.warn({ kind: 'interrupted', message: reason });
    await recorder.finish('interrupted');
    console.error(`coldbench run: ${reason}`);
    console.error(`partial results: ${recorder.file}`);
  });
}

/** The end of a run that threw: interrupted (exit 130) or failed (exit 1), recorded as such, and everything released. */
export async function endEarly(recorder: ResultsRecorder, error: unknown): Promise<number> {
  if (!recorder.running) return 130; // the shutdown handler already finished it
  const interrupted = interruption();
  const message = interrupted ?? (error as Error).message;
  recorder.warn({ kind: interrupted ? 'interrupted' : 'failed', message });
  await recorder.finish(interrupted ? 'interrupted' : 'failed');
  await runCleanups();
  console.error(`coldbench run: ${message}`);
  console.error(`partial results: ${recorder.file}`);
  return interrupted ? 130 : 1;
}

function interruption(): string | undefined {
  return shutdownSignal.aborted ? (shutdownSignal.reason as Error).message : undefined;
}

// An engine that stopped answering must not keep the run from ending: `clean` removes the rest.
async function disposeDrivers(drivers: RuntimeDriver[]): Promise<void> {
  const disposed = await withTimeout(Promise.allSettled(drivers.map((d) => d.dispose())), DISPOSE_TIMEOUT_MS, 'timed out').catch(() => undefined);
  if (!disposed) {
    console.error(
      `coldbench run: the runtimes did not release their tenants within ${DISPOSE_TIMEOUT_MS / 1000} s (is the engine answering?); \`coldbench clean\` removes what is left`,
    );
    return;
  }
  const failed = disposed.flatMap((outcome, i) => (outcome.status === 'rejected' ? [`${drivers[i]!.name}: ${(outcome.reason as Error).message}`] : []));
  if (failed.length) console.error(`coldbench run: could not remove every tenant (${failed.join('; ')})`);
}
