// Coordinated omission check: a server that stalls for 500 ms once. Under a fixed rate of
// 200 req/s, the requests intended during the stall (12.5% of 4 s) must show latencies of up to
// 500 ms, measured from their intended send times. autocannon's fixed-rate correction is pinned as
// wrong here, so that a fixed autocannon tells us to revisit it. The stall straddles t = 1 s
// because autocannon sends each second's requests in a burst at the start of that second: a stall
// that began at exactly 1 s caught the burst on one machine and missed it by a millisecond on another.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadPass } from '../src/measure/load-client.js';

const STALL_AT_MS = 750;
const STALL_MS = 500;
let server: Server;
let url: string;
let firstRequest = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    const now = performance.now();
    firstRequest ||= now;
    const t = now - firstRequest;
    if (t >= STALL_AT_MS && t < STALL_AT_MS + STALL_MS) setTimeout(() => res.end('ok'), STALL_AT_MS + STALL_MS - t);
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fixed-rate load against a server that stalls', () => {
  it('charges the stall to every request it delayed (latency from intended send time)', async () => {
    firstRequest = 0;
    const pass = await runLoadPass({ urls: [url], method: 'GET', connections: 50, pipelining: 1, durationSec: 4, timeoutMs: 5000, ratePerSec: 200 });
    expect(pass.model).toBe('open');
    expect(pass.requests).toBe(800);
    expect(pass.errors + pass.timeouts + pass.non2xx).toBe(0);
    expect(pass.latencyMs.p50).toBeLessThan(25);
    // 100 of 800 requests fall in the stall, with latencies spread over 0..500 ms:
    // p90 is near 100 ms and p99 near 460 ms.
    expect(pass.latencyMs.p90).toBeGreaterThan(50);
    expect(pass.latencyMs.p90).toBeLessThan(200);
    expect(pass.latencyMs.p99).toBeGreaterThan(380);
    expect(pass.latencyMs.p99).toBeLessThan(560);
    expect(pass.clientCpuSec).toBeGreaterThan(0);
  });

  it('autocannon overallRate over-corrects: most of its samples are synthetic', async () => {
    firstRequest = 0;
    const result = await autocannon({ url, connections: 50, duration: 4, overallRate: 200 });
    // Its expected interval is Math.ceil(1 / rate) = 1 ms, so each stalled response adds hundreds
    // of made-up samples, and even the median lands inside the stall.
    expect((result.latency as unknown as { totalCount: number }).totalCount).toBeGreaterThan(result.requests.total * 3);
    expect(result.latency.p50).toBeGreaterThan(50);
  });
});
