// Cleanup that must run however a command ends: normal return, error, SIGINT or SIGTERM.
// Handlers run once, newest first; a second Ctrl-C during cleanup exits at once.
type Cleanup = () => Promise<void>;

const cleanups: Cleanup[] = [];
const controller = new AbortController();
let installed = false;

export const shutdownSignal: AbortSignal = controller.signal;

export function onShutdown(cleanup: Cleanup): void {
  cleanups.push(cleanup);
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write(`\ncoldbench: ${signal}, cleaning up…\n`);
      controller.abort(new Error(`interrupted by ${signal}`));
      // The command notices the abort and returns; if it is stuck, clean up here and exit anyway.
      setTimeout(() => void runCleanups().finally(() => process.exit(130)), 5000).unref();
    });
  }
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
