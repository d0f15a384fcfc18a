// A Wasm cold start with the deploy sent by the native prober itself: the add-tenant request on a
// kept-alive control connection, then the probe at once, timed by the prober's clock from the
// deploy to the first expected response. The harness's own part is what is left when the host's
// in-process phases and the prober's floor are taken away: recorded as the `harness` phase.
import type { PhaseTiming, ProberDeploy, RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadRequest } from '../workloads/catalog.js';
import type { Prober } from './native-prober.js';

/** total − the deployment's own phases − the prober's floor: what the harness added to a cold start. */
export function harnessPhase(phases: PhaseTiming[], totalMs: number, floorMs: number): PhaseTiming {
  return { phase: 'harness', ms: totalMs - phases.reduce((sum, p) => sum + p.ms, 0) - floorMs };
}

export async function proberDeployedColdStart(
  driver: RuntimeDriver,
  planned: ProberDeploy,
  prober: Required<Pick<Prober, 'deployAndProbe'>>,
  expected: WorkloadRequest,
  timeoutMs: number,
  floorMs: number,
  signal?: AbortSignal,
): Promise<PhaseTiming[]> {
  const { deployment } = planned;
  try {
    const probe = await prober.deployAndProbe(planned, deployment.baseUrl, expected, timeoutMs, signal);
    planned.answered(probe.answer);
    return [
      ...deployment.phases,
      { phase: 'first-response', ms: probe.ms - probe.deployMs },
      harnessPhase(deployment.phases, probe.ms, floorMs),
      { phase: 'total', ms: probe.ms },
    ];
  } finally {
    await driver.teardown(deployment);
  }
}
