// What the micro measurement's process (micro-worker.ts) is given and answers.
export interface MicroInput {
  /** The component's transpiled glue (component.js), as the V8 host loads it. */
  module: string;
  /** The request path timed by the `request` task (the workload's first request). */
  path: string;
  /** How long tinybench runs each task, ms. */
  timeMs: number;
}

/** Per task: latency percentiles in ms, and how many runs they are of. */
export type MicroOutput = Record<string, { p50: number; p99: number; runs: number }>;
