// The load client's own process (never the process that serves): runs one load pass described by
// a JSON argument and prints one JSON LoadPass line on stdout. Closed model: autocannon; fixed-rate
// (open) model: runOpenLoop, which measures from intended send times. Closed-model percentiles come
// from the pass's µs HDR histogram: autocannon's own (result.latency) records whole milliseconds, so a
// server that answers in 0.2 ms read as 0 ms; its per-request 'response' event carries the
// request's duration from process.hrtime (autocannon 9.0.0, lib/pipelinedRequestsQueue.js).
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import { quantileSorted } from 'simple-statistics';
import { exitWithParent } from '../parent-watchdog.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';
import { runOpenLoop } from './open-loop.js';

// Latencies in µs, 1 µs to 10 min, 3 significant digits: what HdrHistogram is made for.
const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
const record = (ms: number) => histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
const percentilesMs = (): LoadPass['latencyMs'] => {
  const at = (p: number) => (histogram.totalCount ? histogram.getValueAtPercentile(p) / 1000 : NaN);
  return { p50: at(50), p90: at(90), p99: at(99), 'p99.9': at(99.9), max: histogram.totalCount ? histogram.maxValue / 1000 : NaN };
};

async function closedModel(config: LoadPassConfig): Promise<Omit<LoadPass, 'clientCpuSec'>> {
  // One autocannon instance per tenant URL, connections split between them, results aggregated.
  const share = Math.max(1, Math.floor(config.connections / config.urls.length));
  const runs = await Promise.all(
    config.urls.map((url) => {
      const instance = autocannon({
        url,
        method: config.method as autocannon.Request['method'],
        body: config.body,
        headers: config.headers,
        connections: share,
        pipelining: config.pipelining,
        duration: config.durationSec,
        timeout: Math.ceil(config.timeoutMs / 1000),
        skipAggregateResult: config.urls.length > 1,
      });
      (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
        record(responseTime),
      );
      return instance;
    }),
  );
  const result =
    runs.length === 1
      ? runs[0]!
      : (autocannon as unknown as { aggregateResult(r: unknown[], o: object): autocannon.Result }).aggregateResult(runs, {
          url: config.urls[0]!,
          connections: config.connections,
        });
  return {
    model: 'closed',
    requests: result.requests.total,
    requestsPerSec: result.requests.total / result.duration,
    latencyMs: percentilesMs(),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    bytes: result.throughput.total,
    durationSec: result.duration,
  };
}

async function openModel(config: LoadPassConfig): Promise<Omit<LoadPass, 'clientCpuSec'>> {
  const run = await runOpenLoop({
    urls: config.urls,
    method: config.method,
    body: config.body,
    headers: config.headers,
    ratePerSec: config.ratePerSec!,
    durationSec: config.durationSec,
    connections: config.connections,
    timeoutMs: config.timeoutMs,
  });
  for (const ms of run.latenciesMs) record(ms);
  const sorted = run.latenciesMs.sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? quantileSorted(sorted, q) : NaN);
  return {
    model: 'open',
    requests: run.completed,
    requestsPerSec: run.completed / run.elapsedSec,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), 'p99.9': at(0.999), max: sorted[sorted.length - 1] ?? NaN },
    errors: run.errors,
    timeouts: run.timeouts,
    non2xx: run.non2xx,
    bytes: run.bytes,
    durationSec: run.elapsedSec,
    clientLagMs: run.maxLagMs,
  };
}

exitWithParent(1, 500); // a killed runner must not leave load running

const config = JSON.parse(process.argv[2] ?? '{}') as LoadPassConfig;
const cpuBefore = process.cpuUsage();
const pass = config.ratePerSec ? await openModel(config) : await closedModel(config);
const cpu = process.cpuUsage(cpuBefore);
const output: LoadPass = { ...pass, clientCpuSec: (cpu.user + cpu.system) / 1e6, latencyHistogram: hdr.encodeIntoCompressedBase64(histogram) };
process.stdout.write(`${JSON.stringify(output)}\n`);
