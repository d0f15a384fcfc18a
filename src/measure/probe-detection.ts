// Measures how late the prober notices a tenant that starts listening: a calibration target (the
// native prober's `listen-after` mode) listens a known delay after it starts, and says when, by
// CLOCK_MONOTONIC; the prober says, by the same clock, when it began the connect() that was answered.
// The difference is the prober's detection error; its CPU during the wait is what it took from the
// machine while a tenant started. Measured for the native prober only.
import type { ChildProcess } from 'node:child_process';
import { harnessContext, makeSample } from '../results/sample.js';
import type { Sample } from '../results/types.js';
import { startChild, stopChild, waitForOutput } from '../runtimes/child.js';
import { allocatePort, releasePort } from '../runtimes/ports.js';
import { nativeProberBinary, type ProberKind, type ProberWait, type ProberWaiting, startProber } from './native-prober.js';

export interface DetectionSample {
  /** Start of the answered connect() − the end of the target's listen(), at least 0, ms (the connect itself is in the floor). */
  errorMs: number;
  /** The prober's CPU over the whole probe, in % of one core (native prober only). */
  cpuPercent?: number;
}

export interface Detection {
  samples: DetectionSample[];
  /** How the native prober waited (it may have fallen back). */
  waiting?: ProberWaiting;
}

export async function measureProbeDetection(
  runId: string,
  samples: number,
  kind: ProberKind,
  wait: ProberWait,
  delayMs: number,
  signal?: AbortSignal,
): Promise<Detection> {
  // Node's client cannot say when its connect() ran (the event loop decides): native only.
  if (samples === 0 || kind !== 'native') return { samples: [] };
  const binary = await nativeProberBinary();
  const prober = await startProber(kind, runId, wait);
  const expected = { path: '/', method: 'GET' as const, expect: { status: 200, body: 'ok\n' } };
  try {
    const results: DetectionSample[] = [];
    for (let i = 0; i < samples; i++) {
      signal?.throwIfAborted();
      const port = await allocatePort();
      const { child } = await startChild(runId, [binary, 'listen-after', String(port), String(Math.round(delayMs * 1000))], {});
      try {
        const listening = lineStartingWith(child, 'listening ');
        listening.catch(() => undefined); // a failed probe is the error to report, not this
        await waitForOutput(child, 'coldbench-delayed-target armed', 'the delayed target');
        const probe = await prober.probe(`http://127.0.0.1:${port}`, expected, delayMs + 10000, signal);
        const after = Number((await listening).split(' ')[2]); // "listening BEFORE AFTER"
        const at = probe.attemptAtNs;
        if (at === undefined) throw new Error('the prober did not say when its answered attempt began');
        results.push({
          // An attempt begun before listen() returned was not late: it waited at most for the
          // listen (a spinning prober preempted between its clock and connect() reads earlier still).
          errorMs: Math.max(0, at - after) / 1e6,
          ...(probe.cpuMs === undefined ? {} : { cpuPercent: (probe.cpuMs / probe.ms) * 100 }),
        });
      } finally {
        await stopChild(child);
        releasePort(port);
      }
    }
    return { samples: results, ...('waiting' in prober ? { waiting: prober.waiting as ProberWaiting } : {}) };
  } finally {
    await prober.close();
  }
}

/** The first line of a child's output that starts with `prefix` (listening from before it can be printed). */
function lineStartingWith(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l, i, all) => l.startsWith(prefix) && i < all.length - 1);
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, sig) => reject(new Error(`the delayed target exited (${sig ?? code}) before it listened`)));
  });
}

/** A run's record of the prober's detection error (ms) and its CPU while waiting (% of a core), beside its floor. */
export function detectionSamples(scenario: string, detection: Detection): Sample[] {
  return detection.samples.flatMap(({ errorMs, cpuPercent }, iteration) => [
    makeSample(harnessContext(scenario), {
      measurement: 'probe-floor',
      tenants: 1,
      iteration,
      phase: 'probe-detection-error',
      metric: 'duration',
      unit: 'ms',
      value: errorMs,
    }),
    ...(cpuPercent === undefined
      ? []
      : [
          makeSample(harnessContext(scenario), {
            measurement: 'probe-floor',
            tenants: 1,
            iteration,
            phase: 'probe-wait-cpu-percent',
            metric: 'cpu',
            unit: '%',
            value: cpuPercent,
          }),
        ]),
  ]);
}
