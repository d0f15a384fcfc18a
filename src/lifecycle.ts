// Cleanup that must run however a command ends: normal return, error, SIGINT, SIGTERM, or a
// closed stdout (`coldbench run … | head`). Handlers run once, newest first. The command sees the
// abort through `shutdownSignal` and returns on its own; if it has not within a second, the
// cleanups run here and the process exits 130. A second Ctrl-C exits at once, after synchronous last words (the results file marked interrupted); the run's reaper removes its tenants.
import { setMaxListeners } from 'node:events';

type Cleanup = () => Promise<void>;

const cleanups: Cleanup[] = [];
const lastWords: (() => void)[] = [];
const controller = new AbortController();
// Every wait (probes, requests, load passes) listens to this signal; a density ramp has many at once.
setMaxListeners(0, controller.signal);
let installed = false;
const GRACE_MS = 1000;

export const shutdownSignal: AbortSignal = controller.signal;

/** Starts the shutdown, as a signal does (also used when stdout closes). */
export function requestShutdown(reason: string): void {
  if (controller.signal.aborted) return;
  controller.abort(new Error(reason));
  setTimeout(() => void runCleanups().finally(() => process.exit(130)), GRACE_MS).unref();
}

/** Synchronous work for an exit that cannot wait (a second Ctrl-C): e.g. marking results interrupted. */
export function onImmediateExit(work: () => void): void {
  lastWords.push(work);
}

export function onShutdown(cleanup: Cleanup): void {
  cleanups.push(cleanup);
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) {
        // The second signal: no waiting. The run's reaper removes its tenants.
        for (const work of lastWords) {
          try {
            work();
          } catch {
            // exiting regardless
          }
        }
        process.exit(130);
      }
      process.stderr.write(`\ncoldbench: ${signal}, cleaning up…\n`);
      requestShutdown(`interrupted by ${signal}`);
    });
  }
  // A reader that went away (a pipe into `head`) ends the run as cleanly as Ctrl-C does.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') requestShutdown('stdout was closed');
  });
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const cleanup = cleanups.pop()!;
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`coldbench: cleanup failed: ${(error as Error).message}\n`);
    }
  }
}
