// The native prober against real servers on 127.0.0.1: it retries until a late server listens,
// reads plain, chunked and keep-alive answers, names a wrong answer, gives up at its timeout, and
// stops at once on abort. Its floor, detection error and CPU are measured (and printed), not
// asserted: timings belong in runs.

import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { NativeProber, rawRequest } from '../src/measure/native-prober.js';
import { WrongAnswerError } from '../src/measure/probe.js';
import { measureProbeDetection } from '../src/measure/probe-detection.js';
import { measureProbeFloor } from '../src/measure/probe-floor.js';

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

function listen(handler: Parameters<typeof createServer>[1], port = 0): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

const hello = { path: '/hi?x=1', method: 'GET' as const, expect: { status: 200, body: 'hello\n' } };

describe('the native prober', () => {
  it('builds the request a fresh Node client would send', () => {
    const raw = rawRequest(new URL('http://127.0.0.1:9/a?b=1'), {
      path: '/a?b=1',
      method: 'POST',
      body: 'xy',
      headers: { 'x-k': 'v' },
      expect: { status: 200, body: '' },
    });
    expect(raw.toString()).toBe('POST /a?b=1 HTTP/1.1\r\nx-k: v\r\nhost: 127.0.0.1:9\r\ncontent-length: 2\r\nconnection: close\r\n\r\nxy');
  });

  it('retries until a server listens, and reads plain and chunked answers', async () => {
    const prober = await NativeProber.start('test-native-prober');
    try {
      const late = await listen(() => {});
      servers.pop()!.close(); // free the port, then listen on it 300 ms later
      setTimeout(
        () =>
          void listen((req, res) => {
            expect(req.url).toBe('/hi?x=1');
            res.end('hello\n');
          }, late),
        300,
      );
      const first = await prober.probe(`http://127.0.0.1:${late}`, hello, 5000);
      expect(first.attempts).toBeGreaterThan(1);
      expect(first.ms).toBeGreaterThan(250);

      const chunked = await listen((_req, res) => {
        res.write('hel');
        setTimeout(() => res.end('lo\n'), 20);
      });
      expect((await prober.probe(`http://127.0.0.1:${chunked}`, hello, 5000)).attempts).toBe(1);
    } finally {
      await prober.close();
    }
  });

  it('names a wrong answer, retries a 503 until the deadline, and stops at once on abort', async () => {
    const prober = await NativeProber.start('test-native-prober');
    try {
      const wrong = await listen((_req, res) => res.end('goodbye\n'));
      await expect(prober.probe(`http://127.0.0.1:${wrong}`, hello, 5000)).rejects.toThrow(WrongAnswerError);
      await expect(prober.probe(`http://127.0.0.1:${wrong}`, hello, 5000)).rejects.toThrow(`answered 200 "goodbye\\n", expected 200 "hello\\n"`);

      const unavailable = await listen((_req, res) => {
        res.statusCode = 503;
        res.end();
      });
      await expect(prober.probe(`http://127.0.0.1:${unavailable}`, hello, 300)).rejects.toThrow(/gave no expected answer within 300 ms after \d+ attempts/);

      const silent = await listen(() => {});
      const abort = new AbortController();
      setTimeout(() => abort.abort(new Error('interrupted')), 100);
      const started = Date.now();
      await expect(prober.probe(`http://127.0.0.1:${silent}`, hello, 10000, abort.signal)).rejects.toThrow('interrupted');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await prober.close();
    }
  });

  it('refuses a URL that is not on loopback', async () => {
    const prober = await NativeProber.start('test-native-prober');
    try {
      await expect(prober.probe('http://10.0.0.1:80', hello, 1000)).rejects.toThrow('only talks to 127.0.0.1');
    } finally {
      await prober.close();
    }
  });

  it('measures its floor against the native null server', async () => {
    const floor = await measureProbeFloor('test-native-prober', 30, 'native');
    expect(floor).toHaveLength(30);
    expect(floor.every((ms) => ms > 0)).toBe(true);
    const sorted = [...floor].sort((a, b) => a - b);
    console.log(`native prober floor: median ${sorted[15]!.toFixed(3)} ms, min ${sorted[0]!.toFixed(3)}, max ${sorted[29]!.toFixed(3)}`);
  });

  it('measures its detection error and CPU against a target that listens late, in every wait mode', async () => {
    for (const wait of ['listen', 'backoff', 'spin'] as const) {
      const { samples, waiting } = await measureProbeDetection('test-native-prober', 3, 'native', wait, 50);
      expect(waiting?.asked).toBe(wait);
      // Without root or tracefs, listen falls back to backoff and says why.
      if (waiting?.wait !== wait) expect(waiting).toMatchObject({ asked: 'listen', wait: 'backoff', note: expect.any(String) });
      expect(samples).toHaveLength(3);
      for (const { errorMs, cpuPercent } of samples) {
        expect(errorMs).toBeGreaterThanOrEqual(0);
        expect(errorMs).toBeLessThan(5000);
        expect(cpuPercent).toBeGreaterThan(0);
      }
      const errors = samples.map((s) => (s.errorMs * 1000).toFixed(0)).join(', ');
      console.log(`wait ${waiting?.wait}: detection error ${errors} µs; CPU ${samples.map((s) => s.cpuPercent!.toFixed(1)).join(', ')} %`);
    }
  });

  it('measures no detection error for the node prober, whose connect() time the event loop decides', async () => {
    expect(await measureProbeDetection('test-native-prober', 2, 'node', 'listen', 30)).toEqual({ samples: [] });
  });
});
