// Cold start, measured: from the driver's deploy call to the first 2xx with the expected body on
// the tenant's URL, with each phase timed on its own. Runtimes are interleaved in shuffled order
// every iteration; warm-ups run first and are discarded. Once per run, the prober's own floor and
// its detection error. How the samples read is in coldstart-read.ts.
import { performance } from 'node:perf_hooks';
import { median } from 'simple-statistics';
import { driverContext, harnessContext, makeSample, tenantIdFor } from '../results/sample.js';
import { CATEGORY_UNIT } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import { runtimeDescriptors } from '../runtimes/registry.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { ColdStartOptions } from './coldstart-read.js';
import { SequentialStop, STOPPED_BY_METRIC } from './coldstart-until.js';
import { type Prober, startProber } from './native-prober.js';
import { harnessPhase, proberDeployedColdStart } from './probe-deploy.js';
import { detectionSamples, measureProbeDetection } from './probe-detection.js';
import { measureProbeFloor, probeFloorOnce, startNullServer } from './probe-floor.js';
import { probeTenant } from './probe-tenant.js';
import { referenceSamples } from './reference.js';
import { shuffled } from './shuffle.js';
import type { MeasurementRunner } from './types.js';

export const coldstartRunner: MeasurementRunner<ColdStartOptions> = {
  async beforeRun({ scenario, runId, options, signal }) {
    const floor = await measureProbeFloor(runId, options.probeFloorSamples, options.prober, signal);
    const detection = await measureProbeDetection(
      runId,
      options.probeDetectionSamples,
      options.prober,
      options.proberWait,
      options.probeDetectionDelayMs,
      signal,
    );
    return [
      ...detectionSamples(scenario, detection),
      ...floor.map((value, iteration) =>
        makeSample(harnessContext(scenario), {
          measurement: 'probe-floor',
          tenants: 1,
          iteration,
          phase: 'probe-floor',
          metric: 'duration',
          unit: 'ms',
          value,
        }),
      ),
    ];
  },

  async run(context) {
    const { options, artifacts } = context;
    const total = options.warmup + options.iterations;
    // The runtimes' own floors first (drivers with the capability), while nothing else runs.
    const reference = await referenceSamples(context.drivers, artifacts, context.scenario);
    if (reference.length) await context.onSamples(reference);
    const prober = await startProber(options.prober, context.runId, options.proberWait);
    const nullServer = await startNullServer(context.runId, options.prober).catch(async (error: Error) => {
      await prober.close();
      throw error;
    });
    const floorsInRounds: number[] = [];
    const until = options.until ? new SequentialStop<RuntimeDriver>(options.until, options.iterations) : undefined;
    try {
      for (let round = 0; round < total && !until?.done(context.drivers); round++) {
        const warmup = round < options.warmup;
        // The floor as the cold starts meet it: same prober, same idle gap before it. Harness takes
        // away the median of these probes so far (warm-ups included): one slow probe moves it little.
        const roundFloorMs = await probeFloorOnce(prober, nullServer, context.signal);
        floorsInRounds.push(roundFloorMs);
        const floorMs = median(floorsInRounds);
        if (!warmup) await context.onSamples([floorInRoundSample(context, round - options.warmup, roundFloorMs)]);
        for (const driver of shuffled(context.drivers.filter((d) => warmup || !until || until.active(d)))) {
          context.signal.throwIfAborted();
          const tenantId = tenantIdFor(artifacts.workload.name, driver, String(round));
          const timeoutMs = options.timeoutMs * timeoutScale(driver.platform);
          const planned = prober.deployAndProbe && driver.proberDeploy?.(artifacts, tenantId);
          const phases = planned
            ? await proberDeployedColdStart(driver, planned, prober as Required<Prober>, artifacts.workload.requests[0]!, timeoutMs, floorMs, context.signal)
            : await coldStartOnce(driver, artifacts, tenantId, prober, timeoutMs, context.signal, floorMs);
          if (warmup) continue;
          until?.record(driver, phases.find((p) => p.phase === 'total' && !p.ahead)?.ms ?? Number.NaN);
          const sampleContext = driverContext(context.scenario, artifacts.workload.name, driver);
          await context.onSamples(
            phases.map(({ phase, ms, ahead }) =>
              makeSample(sampleContext, {
                // Work done before the measured window (a pre-created container's create) is set-up, outside total.
                measurement: ahead ? 'setup' : 'coldstart',
                tenants: 1,
                iteration: round - options.warmup,
                phase,
                metric: 'duration',
                unit: 'ms',
                value: ms,
              }),
            ),
          );
        }
        if (until && !warmup) await recordStops(context, until.afterRound(context.drivers));
        context.onProgress(
          warmup
            ? `  ${artifacts.workload.name}: warm-up ${round + 1}/${options.warmup}`
            : `  ${artifacts.workload.name}: iteration ${round - options.warmup + 1}/${options.iterations}`,
        );
      }
    } finally {
      await prober.close();
      await nullServer.stop();
    }
  },
};

/** The round's probe of the null server, as a harness sample beside the back-to-back floor. */
function floorInRoundSample(context: Parameters<typeof coldstartRunner.run>[0], iteration: number, ms: number) {
  return makeSample(harnessContext(context.scenario), {
    measurement: 'probe-floor',
    tenants: 1,
    iteration,
    phase: 'probe-floor-in-round',
    metric: 'duration',
    unit: 'ms',
    value: ms,
  });
}

/** A runtime's stop in the sequential mode, as a category sample ("stopped-by": interval, budget or iterations) with the iterations it had. */
async function recordStops(context: Parameters<typeof coldstartRunner.run>[0], stops: { key: RuntimeDriver; reason: string; iterations: number }[]) {
  for (const { key: driver, reason, iterations } of stops) {
    context.onProgress(`  ${context.artifacts.workload.name}: ${driver.name} stopped by ${reason} after ${iterations} iterations`);
    await context.onSamples([
      makeSample(driverContext(context.scenario, context.artifacts.workload.name, driver), {
        measurement: 'coldstart',
        tenants: 1,
        iteration: iterations,
        metric: STOPPED_BY_METRIC,
        unit: CATEGORY_UNIT,
        value: 1,
        category: reason,
      }),
    ]);
  }
}

// first-response is the prober's own timing of its probing; total is the harness's clock around
// deploy and probe, so it also holds the prober's round trip (the floor). A Wasm cold start also
// records what the harness added (harness: total − its phases − the floor).
async function coldStartOnce(
  driver: RuntimeDriver,
  artifacts: WorkloadArtifacts,
  tenantId: string,
  prober: Prober,
  timeoutMs: number,
  signal: AbortSignal,
  floorMs: number,
) {
  const started = performance.now();
  const deployment = await driver.deploy(artifacts, tenantId);
  try {
    const { ms } = await probeTenant(prober, deployment, artifacts.workload.requests[0]!, timeoutMs, signal);
    const total = performance.now() - started;
    const harness = runtimeDescriptors().find((r) => r.name === driver.name)?.family === 'wasm' ? [harnessPhase(deployment.phases, total, floorMs)] : [];
    return [...deployment.phases, { phase: 'first-response', ms }, ...harness, { phase: 'total', ms: total }];
  } finally {
    await driver.teardown(deployment);
  }
}
