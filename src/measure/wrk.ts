// wrk (C, one event loop per thread) as a second load client beside autocannon: the same URLs,
// connections and duration, one wrk per tenant URL (wrk loads one host), pinned to the client's
// CPUs. A Lua `done` hook prints wrk's whole latency distribution (µs, distinct value and count),
// which goes into one HDR histogram across tenants, as the load worker's own does.
// wrk 4.1 corrects its distribution for coordinated omission (stats_correct in wrk.c adds the
// responses a stalled connection would have sent), so its counts can exceed its requests and its
// tail is the corrected one.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import { assertLoopback } from '../http-client.js';
import { pinnedTo } from '../runtimes/child.js';
import { markerEnv } from '../runtimes/process-marker.js';
import type { LoadPass } from './load-types.js';

const run = promisify(execFile);
const MARKER = 'coldbench-wrk ';

// latency(i) answers the i-th distinct value and its count (wrk 4.1 script.c, script_stats_call).
const REPORT_SCRIPT = `
wrk.method = os.getenv("COLDBENCH_WRK_METHOD") or "GET"
wrk.body = os.getenv("COLDBENCH_WRK_BODY")
done = function(summary, latency, requests)
  local buckets = {}
  for i = 1, #latency do
    local value, count = latency(i)
    buckets[#buckets + 1] = "[" .. value .. "," .. count .. "]"
  end
  local e = summary.errors
  io.write(string.format('${MARKER}{"requests":%d,"durationUs":%d,"bytes":%d,"socketErrors":%d,"timeouts":%d,"non2xx":%d,"latencyUs":[%s]}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write, e.timeout, e.status, table.concat(buckets, ",")))
end
`;

export interface WrkOptions {
  urls: string[];
  method: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  timeoutMs: number;
  /** CPUs to pin wrk to (taskset list). */
  cpus?: string;
  signal?: AbortSignal;
  runId?: string;
}

/** What wrk reports for one pass, in the load worker's terms (no client CPU: wrk does not report it). */
export type WrkPass = Omit<LoadPass, 'clientCpuSec' | 'clientLagMs'>;

interface WrkReport {
  requests: number;
  durationUs: number;
  bytes: number;
  socketErrors: number;
  timeouts: number;
  non2xx: number;
  latencyUs: [number, number][];
}

export async function wrkAvailable(): Promise<boolean> {
  return run('wrk', ['-v']).then(
    () => true,
    // wrk -v prints its version and exits 1
    (error: { code?: unknown; stdout?: string }) => typeof error.code === 'number' && /wrk/.test(error.stdout ?? ''),
  );
}

/** One wrk pass across every URL at once; requests add up, latencies merge into one histogram. */
export async function runWrkPass(options: WrkOptions): Promise<WrkPass> {
  for (const url of options.urls) assertLoopback(new URL(url));
  const dir = await mkdtemp(join(tmpdir(), 'coldbench-wrk-'));
  try {
    const script = join(dir, 'report.lua');
    await writeFile(script, REPORT_SCRIPT);
    const share = Math.max(1, Math.floor(options.connections / options.urls.length));
    const reports = await Promise.all(options.urls.map((url) => wrkOnce(url, share, script, options)));
    const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
    for (const report of reports) for (const [value, count] of report.latencyUs) histogram.recordValueWithCount(Math.max(1, value), count);
    const requests = reports.reduce((sum, r) => sum + r.requests, 0);
    const durationSec = Math.max(...reports.map((r) => r.durationUs)) / 1e6;
    const at = (p: number) => (histogram.totalCount ? histogram.getValueAtPercentile(p) / 1000 : NaN);
    return {
      model: 'closed',
      requests,
      requestsPerSec: reports.reduce((sum, r) => sum + r.requests / (r.durationUs / 1e6), 0),
      latencyMs: { p50: at(50), p90: at(90), p99: at(99), 'p99.9': at(99.9), max: histogram.totalCount ? histogram.maxValue / 1000 : NaN },
      errors: reports.reduce((sum, r) => sum + r.socketErrors, 0),
      timeouts: reports.reduce((sum, r) => sum + r.timeouts, 0),
      non2xx: reports.reduce((sum, r) => sum + r.non2xx, 0),
      bytes: reports.reduce((sum, r) => sum + r.bytes, 0),
      durationSec,
      latencyHistogram: hdr.encodeIntoCompressedBase64(histogram),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function wrkOnce(url: string, connections: number, script: string, options: WrkOptions): Promise<WrkReport> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const argv = pinnedTo(options.cpus, [
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${options.durationSec}s`,
    `--timeout`,
    `${Math.max(1, Math.ceil(options.timeoutMs / 1000))}s`,
    '-s',
    script,
    ...headers,
    url,
  ]);
  const env = {
    ...process.env,
    COLDBENCH_WRK_METHOD: options.method,
    ...(options.body !== undefined ? { COLDBENCH_WRK_BODY: options.body } : {}),
    ...(options.runId ? markerEnv(options.runId) : {}),
  };
  const { stdout } = await run(argv[0]!, argv.slice(1), {
    env,
    signal: options.signal,
    timeout: (options.durationSec + 30) * 1000,
    maxBuffer: 64 << 20,
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`wrk printed no report for ${url}: ${stdout.trim().split('\n').slice(-2).join(' | ')}`);
  return JSON.parse(line.slice(MARKER.length)) as WrkReport;
}
