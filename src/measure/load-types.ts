// What the load worker is asked to do and what it answers (passed as JSON between processes).
export interface LoadPassConfig {
  urls: string[];
  method: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  pipelining: number;
  durationSec: number;
  timeoutMs: number;
  /** Set: fixed-rate (open) model at this many requests per second; unset: closed model. */
  ratePerSec?: number;
}

export interface LoadPass {
  model: 'closed' | 'open';
  requests: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; 'p99.9': number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  bytes: number;
  durationSec: number;
  clientCpuSec: number;
  clientLagMs?: number;
  /** Every response's latency in µs as a compressed HDR histogram (base64), so passes merge exactly. */
  latencyHistogram?: string;
}
