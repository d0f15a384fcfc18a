// Probing a deployment, watching its tenant meanwhile: a tenant that exits at start is reported at
// once with its exit code and last output, instead of as "connection refused" after the timeout.
import type { Deployment } from '../runtimes/types.js';
import type { WorkloadRequest } from '../workloads/catalog.js';
import { type ProbeResult, probeFirstResponse } from './probe.js';

export class TenantExitedError extends Error {}

interface Probes {
  probe(baseUrl: string, expected: WorkloadRequest, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult>;
}

export async function probeTenant(
  prober: Probes,
  deployment: Deployment,
  expected: WorkloadRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if (!deployment.watchExit) return prober.probe(deployment.baseUrl, expected, timeoutMs, signal);
  const done = new AbortController();
  const probing = prober.probe(deployment.baseUrl, expected, timeoutMs, signal ? AbortSignal.any([signal, done.signal]) : done.signal);
  probing.catch(() => undefined); // when the exit wins, the probe's own rejection is expected
  const exited = deployment.watchExit(done.signal).then(
    (how) => Promise.reject(new TenantExitedError(`tenant ${deployment.tenantId} ${how}`)),
    () => new Promise<never>(() => {}), // watching ended (aborted, or the engine would not say): the probe decides
  );
  try {
    return await Promise.race([probing, exited]);
  } finally {
    done.abort(); // stops the watch, and the probe when the tenant exited first
  }
}

/** Waits until a deployment answers `expected` (the harness's HTTP client), failing at once if its tenant exits first. */
export function untilAnswering(deployment: Deployment, expected: WorkloadRequest, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  return probeTenant({ probe: probeFirstResponse }, deployment, expected, timeoutMs, signal);
}
