// The wasmtime host's tokio runtime flavour (--tokio-runtime): how its tasks are scheduled. Recorded
// with the scenario in every results file, like the pool settings.
import { z } from 'zod';

export const TOKIO_RUNTIMES = ['current-thread', 'multi-thread'] as const;
// current-thread: a cold start takes no wake-up between threads (measured: about a third off deploy to
// first response for hello-c); CPU per request is the same either way (~80 µs for hello-c per request here).
export const TOKIO_RUNTIME_DEFAULT = 'current-thread';

export const TokioRuntimeOption = z
  .enum(TOKIO_RUNTIMES)
  .default(TOKIO_RUNTIME_DEFAULT)
  .describe(
    "The host's tokio runtime: current-thread (every task on one thread: no wake-ups between threads, the shortest cold start; one core serves everything) or multi-thread (a worker per CPU the host may use, with work stealing: more throughput on several unpinned cores).",
  );

/** The host's flag for this setting. */
export function tokioRuntimeArgv(flavour: z.infer<typeof TokioRuntimeOption>): string[] {
  return ['--tokio-runtime', flavour];
}
