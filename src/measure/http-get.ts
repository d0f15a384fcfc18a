// One HTTP request on a fresh connection (no keep-alive agent), so that every probe pays what a
// first client pays. Loopback only: the caller's URL is checked.
import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export function assertLoopback(url: URL): void {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') {
    throw new Error(`refusing to send traffic to ${url.host}: coldbench only talks to 127.0.0.1`);
  }
}

export function httpRequest(url: URL, method = 'GET', body?: string, timeoutMs = 5000): Promise<HttpAnswer> {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
