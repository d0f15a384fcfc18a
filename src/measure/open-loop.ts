// A fixed-rate (open model) load client that measures latency from each request's INTENDED send
// time, so a server stall shows up in every request it delayed (no coordinated omission).
// Why not autocannon's overallRate: it sends each connection's quota in a burst at the start of
// every second, and corrects latencies with an expected interval of Math.ceil(1 / rate) — seconds
// read as milliseconds, i.e. 1 ms at any rate (autocannon 9.0.0, lib/run.js and lib/httpClient.js).
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { assertLoopback } from '../http-client.js';

export interface OpenLoopOptions {
  urls: string[]; // requests rotate over these (one per tenant)
  method: string;
  body?: string;
  headers?: Record<string, string>;
  ratePerSec: number;
  durationSec: number;
  connections: number; // keep-alive sockets per URL's host:port, at most
  timeoutMs: number;
  /** The clock (ms); injected by tests. */
  now?: () => number;
}

export interface OpenLoopResult {
  latenciesMs: number[]; // from intended send time to the end of the response, 2xx only
  sent: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytes: number;
  elapsedSec: number;
  maxLagMs: number; // how far the client itself fell behind its schedule
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const urls = options.urls.map((u) => new URL(u));
  urls.forEach(assertLoopback);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const result: OpenLoopResult = { latenciesMs: [], sent: 0, completed: 0, non2xx: 0, errors: 0, timeouts: 0, bytes: 0, elapsedSec: 0, maxLagMs: 0 };
  const total = Math.round(options.ratePerSec * options.durationSec);
  const intervalMs = 1000 / options.ratePerSec;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const inFlight = new Set<Promise<void>>();

  const send = (index: number) => {
    const intended = started + index * intervalMs;
    const url = urls[index % urls.length]!;
    const done = new Promise<void>((resolve) => {
      let timedOut = false;
      const req = request(url, { method: options.method, headers: options.headers, agent, timeout: options.timeoutMs }, (res) => {
        res.on('data', (chunk: Buffer) => (result.bytes += chunk.length));
        res.on('end', () => {
          result.completed++;
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) result.latenciesMs.push(now() - intended);
          else result.non2xx++;
          resolve();
        });
      });
      req.on('timeout', () => {
        timedOut = true;
        result.timeouts++;
        req.destroy();
      });
      req.on('error', () => {
        if (!timedOut) result.errors++;
        resolve();
      });
      req.end(options.body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  // Each tick sends every request whose intended time has come; a late tick sends the backlog at
  // once, and those requests still carry their intended times.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const at = now();
      while (result.sent < total && started + result.sent * intervalMs <= at) {
        result.maxLagMs = Math.max(result.maxLagMs, at - (started + result.sent * intervalMs));
        send(result.sent++);
      }
      if (result.sent >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(1, started + result.sent * intervalMs - at)));
    };
    tick();
  });
  await Promise.all(inFlight);
  result.elapsedSec = (now() - started) / 1000;
  agent.destroy();
  return result;
}
