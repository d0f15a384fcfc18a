// The server's CPU over one load pass, from two readings of the driver's counter. A server that
// answered many requests cannot have used no CPU: such a reading (a counter that did not move, or
// went back) is the reader's failure, so it becomes a recorded warning, never a figure, and the
// pass's bottleneck is judged without it.

// Process counters (/proc/PID/stat) move in 10 ms ticks, and a response costs a server some µs of
// CPU at the least (accept, read, write): below this many responses a counter that stayed put may
// be a light pass rounded down, not a broken reader.
export const ANSWERS_THAT_MUST_COST_CPU = 10_000;

export type ServerCpu = { cores: number } | { impossible: string } | undefined;

/** `before`/`after`: CPU seconds, undefined when the driver cannot read them; `answered`: responses in the pass. */
export function serverCpuOverPass(before: number | undefined, after: number | undefined, durationSec: number, answered: number): ServerCpu {
  if (before === undefined || after === undefined) return undefined;
  const seconds = after - before;
  if (seconds < 0 || (seconds === 0 && answered >= ANSWERS_THAT_MUST_COST_CPU)) {
    return { impossible: `its CPU counter moved ${seconds} s over a pass that answered ${answered} requests` };
  }
  return { cores: seconds / durationSec };
}
