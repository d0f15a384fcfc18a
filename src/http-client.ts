// The one small HTTP client of the harness: one request on a fresh connection (no keep-alive
// agent, so every probe pays what a first client pays), to loopback addresses only.
import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function assertLoopback(url: URL): void {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') {
    throw new Error(`refusing to send traffic to ${url.host}: coldbench only talks to 127.0.0.1`);
  }
}

export function httpRequest(url: URL, options: HttpOptions = {}): Promise<HttpAnswer> {
  assertLoopback(url);
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, timeout: timeoutMs, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A JSON request (control APIs): the parsed answer, or `{ error: text }` when it is not JSON. */
export async function jsonRequest(
  url: URL,
  method: string,
  value?: unknown,
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const body = value === undefined ? undefined : JSON.stringify(value);
  const answer = await httpRequest(url, { method, body, timeoutMs, headers: body ? { ...headers, 'content-type': 'application/json' } : headers });
  let json: unknown;
  try {
    json = answer.body ? JSON.parse(answer.body) : undefined;
  } catch {
    json = { error: answer.body };
  }
  return { status: answer.status, json };
}
