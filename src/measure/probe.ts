// The first-response prober: asks a tenant's URL again and again, retrying at once on a refused or
// reset connection, until it answers 2xx with the expected body. Its own floor is measured by
// probing a server that is already listening (see probe-floor.ts).
import { performance } from 'node:perf_hooks';
import { httpRequest } from '../http-client.js';
import type { WorkloadRequest } from '../workloads/catalog.js';

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export interface ProbeResult {
  ms: number;
  attempts: number;
  /** CLOCK_MONOTONIC (ns) just before the answered attempt's connect() (native prober): beside a target's own listen time, the prober's detection error. */
  attemptAtNs?: number;
  /** CPU the prober used during the probe (native prober: Node's client shares the harness's process). */
  cpuMs?: number;
}

export class WrongAnswerError extends Error {}

/** How long to wait after the n-th refusal (from 1): many probes at once must not busy-spin the cores the tenants start on. */
export type ProbePace = (refusals: number) => number;

/**
 * Gives up at the deadline, and at once when `signal` aborts (Ctrl-C must not wait for the timeout).
 * Without `pace` it retries a refused connection at once (one probe); with it, it waits as `pace` says.
 */
export async function probeFirstResponse(
  baseUrl: string,
  expected: WorkloadRequest,
  timeoutMs: number,
  signal?: AbortSignal,
  pace?: ProbePace,
): Promise<ProbeResult> {
  const url = new URL(baseUrl + expected.path);
  const started = performance.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  let last = 'no attempt';
  while (performance.now() < deadline) {
    signal?.throwIfAborted();
    attempts++;
    try {
      const answer = await httpRequest(url, {
        method: expected.method,
        body: expected.body,
        headers: expected.headers,
        timeoutMs: Math.max(1, deadline - performance.now()),
        signal,
      });
      if (answer.status >= 200 && answer.status < 300) {
        if (answer.status !== expected.expect.status || answer.body !== expected.expect.body) {
          throw new WrongAnswerError(
            `${url} answered ${answer.status} ${JSON.stringify(answer.body.slice(0, 80))}, expected ${expected.expect.status} ${JSON.stringify(expected.expect.body.slice(0, 80))}`,
          );
        }
        return { ms: performance.now() - started, attempts };
      }
      last = `status ${answer.status}`;
    } catch (error) {
      if (error instanceof WrongAnswerError) throw error;
      signal?.throwIfAborted();
      const code = (error as NodeJS.ErrnoException).code ?? '';
      last = code || (error as Error).message;
      if (!RETRYABLE.has(code) && !/socket hang up/.test((error as Error).message)) {
        // Not a "not listening yet" error: wait a little instead of spinning.
        await new Promise((resolve) => setTimeout(resolve, 5));
      } else if (pace) await new Promise((resolve) => setTimeout(resolve, pace(attempts)));
    }
  }
  throw new Error(`${url} gave no expected answer within ${timeoutMs} ms after ${attempts} attempts (last: ${last})`);
}
