// The native prober (native-prober.c): built once with cc (cached by the source's hash), then
// kept running as a dedicated process that probes one URL at a time and times it itself, with a
// prebuilt request. Its floor is tens of microseconds where the Node client's is about 1 ms. While a
// port refuses, it sleeps until some socket starts listening (`listen`), backs off (`backoff`), or
// retries at once (`spin`): see native-prober.c.
import { type ChildProcess, execFile } from 'node:child_process';
import { access, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertLoopback } from '../http-client.js';
import { PROJECT_ROOT, STATE_DIR } from '../paths.js';
import { startChild, stopChild } from '../runtimes/child.js';
import { compilerVersion } from '../workloads/c-toolchain.js';
import type { WorkloadRequest } from '../workloads/catalog.js';
import { hashInputs } from '../workloads/hash.js';
import { type ProbeResult, probeFirstResponse, WrongAnswerError } from './probe.js';

const SOURCE = join(PROJECT_ROOT, 'src', 'measure', 'native-prober.c');
const run = promisify(execFile);

/** The prober binary, compiled on first use. */
export async function nativeProberBinary(): Promise<string> {
  const hash = await hashInputs([SOURCE], { kind: 'native-prober', compiler: await compilerVersion('cc') });
  const binary = join(STATE_DIR, 'tools', `prober-${hash}`);
  if (
    await access(binary).then(
      () => true,
      () => false,
    )
  )
    return binary;
  await mkdir(join(STATE_DIR, 'tools'), { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  await run('cc', ['-O2', '-Wall', '-o', partial, SOURCE]).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`cc could not build the native prober: ${(error.stderr ?? error.message).trim().split('\n')[0]}`);
  });
  await rename(partial, binary); // atomic: two runs building at once both end with a whole binary
  return binary;
}

/** The raw request, as a Node client would send it on a fresh connection. */
export function rawRequest(url: URL, request: WorkloadRequest): Buffer {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers = { ...request.headers, host: url.host, ...(body ? { 'content-length': String(body.length) } : {}), connection: 'close' };
  const head = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head), body ?? Buffer.alloc(0)]);
}

/** A prober the cold-start loop holds for a run: the native one, or Node's HTTP client. */
export interface Prober {
  probe(baseUrl: string, expected: WorkloadRequest, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult>;
  /** Sends a deploy request itself, then probes (the native prober): the time runs from the deploy. */
  deployAndProbe?(deploy: DeployRequest, baseUrl: string, expected: WorkloadRequest, timeoutMs: number, signal?: AbortSignal): Promise<DeployedProbe>;
  close(): Promise<void>;
}

export interface DeployRequest {
  controlPort: number;
  request: Buffer;
}

/** A probe that began with the deploy: `ms` runs from the deploy request to the expected answer. */
export interface DeployedProbe extends ProbeResult {
  /** From the deploy request to its answer: the host's reply stamp when it has one (see deployAnsweredMs). */
  deployMs: number;
  /** The deploy's answer body. */
  answer: string;
}

export type ProberKind = 'native' | 'node';
export const PROBER_WAITS = ['listen', 'backoff', 'spin'] as const;
export type ProberWait = (typeof PROBER_WAITS)[number];

/** How the native prober waits for a refused port; `wait` is what it could do ("listen" falls back to "backoff" without the tracepoint). */
export interface ProberWaiting {
  asked: ProberWait;
  wait: ProberWait;
  note?: string;
}

export async function startProber(kind: ProberKind, runId: string, wait: ProberWait = 'listen'): Promise<Prober> {
  return kind === 'native' ? NativeProber.start(runId, wait) : { probe: probeFirstResponse, close: async () => {} };
}

/**
 * When the deploy was answered, in ms from when it was sent: by the host's own reply stamp
 * (`repliedAtNs`, CLOCK_MONOTONIC as the prober's) when the answer has one, since the prober
 * probes without waiting for the answer and reads it later; else when the prober read it.
 */
function deployAnsweredMs(answer: string, sentAtNs: number, readAfterNs: number): number {
  let repliedAtNs: unknown;
  try {
    repliedAtNs = (JSON.parse(answer) as { repliedAtNs?: unknown }).repliedAtNs;
  } catch {
    // not JSON: the read time it is
  }
  return typeof repliedAtNs === 'number' && repliedAtNs >= sentAtNs ? (repliedAtNs - sentAtNs) / 1e6 : readAfterNs / 1e6;
}

export class NativeProber implements Prober {
  private pending = Buffer.alloc(0);
  private waiter?: () => void;
  waiting: ProberWaiting;

  private constructor(
    private child: ChildProcess,
    private readonly runId: string,
    asked: ProberWait,
  ) {
    this.waiting = { asked, wait: asked };
    this.listen();
  }

  static async start(runId: string, wait: ProberWait = 'listen'): Promise<NativeProber> {
    const prober = new NativeProber(await NativeProber.spawn(runId, wait), runId, wait);
    await prober.readWaiting();
    return prober;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private static async spawn(runId: string, wait: ProberWait): Promise<ChildProcess> {
    return (await startChild(runId, [await nativeProberBinary(), 'probe', wait], {}, true, 'pipe')).child;
  }

  /** The prober's first line: how it will wait ("wait listen", or "wait backoff WHY"). */
  private async readWaiting(): Promise<void> {
    const [word, wait, ...why] = (await this.line()).split(' ');
    if (word !== 'wait' || !PROBER_WAITS.includes(wait as ProberWait)) throw new Error(`the native prober said "${word} ${wait}", expected "wait MODE"`);
    this.waiting = { asked: this.waiting.asked, wait: wait as ProberWait, ...(why.length ? { note: why.join(' ') } : {}) };
  }

  private listen(): void {
    this.pending = Buffer.alloc(0);
    this.child.stdout!.removeAllListeners('data');
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.waiter?.();
    });
    this.child.once('exit', () => this.waiter?.());
  }

  /** Probes until the expected answer, the timeout, or `signal` (which stops the prober; the next probe starts a new one). */
  probe(baseUrl: string, expected: WorkloadRequest, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    return this.exchange(undefined, baseUrl, expected, timeoutMs, signal);
  }

  /** Sends `deploy` on a kept-alive control connection, then probes at once, all inside the prober. */
  deployAndProbe(deploy: DeployRequest, baseUrl: string, expected: WorkloadRequest, timeoutMs: number, signal?: AbortSignal): Promise<DeployedProbe> {
    return this.exchange(deploy, baseUrl, expected, timeoutMs, signal) as Promise<DeployedProbe>;
  }

  private async exchange(
    deploy: DeployRequest | undefined,
    baseUrl: string,
    expected: WorkloadRequest,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ProbeResult | DeployedProbe> {
    signal?.throwIfAborted();
    if (this.child.killed || this.child.exitCode !== null || this.child.signalCode !== null) {
      this.child = await NativeProber.spawn(this.runId, this.waiting.asked);
      this.listen();
      await this.readWaiting();
    }
    const url = new URL(baseUrl + expected.path);
    assertLoopback(url);
    const request = rawRequest(url, expected);
    const body = Buffer.from(expected.expect.body);
    const control = deploy ? ` ${deploy.controlPort} ${deploy.request.length}` : '';
    this.child.stdin!.write(
      Buffer.concat([
        Buffer.from(`probe ${url.port} ${Math.ceil(timeoutMs)} ${request.length} ${expected.expect.status} ${body.length}${control}\n`),
        request,
        body,
        deploy?.request ?? Buffer.alloc(0),
      ]),
    );
    const onAbort = () => this.child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const line = await this.line(signal);
      const [kind, a, b, c, d, e, f, g] = line.split(' ');
      if (kind === 'ok') {
        const probe = { ms: Number(a) / 1e6, attempts: Number(b), attemptAtNs: Number(c), cpuMs: Number(d) / 1e6 };
        if (!deploy) return probe;
        const answer = (await this.bytes(Number(g), signal)).toString('utf8');
        return { ...probe, deployMs: deployAnsweredMs(answer, Number(f), Number(e)), answer };
      }
      if (kind === 'control') {
        const got = (await this.bytes(Number(c), signal)).toString('utf8');
        throw new Error(`the deploy to 127.0.0.1:${deploy?.controlPort} failed: ${a === '0' ? d : `status ${a} ${got.slice(0, 200)}`}`);
      }
      if (kind === 'wrong') {
        const got = (await this.bytes(Number(c), signal)).toString('utf8');
        throw new WrongAnswerError(
          `${url} answered ${a} ${JSON.stringify(got)}, expected ${expected.expect.status} ${JSON.stringify(expected.expect.body.slice(0, 80))}`,
        );
      }
      throw new Error(`${url} gave no expected answer within ${timeoutMs} ms after ${a} attempts (last: ${b})`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await stopChild(this.child);
  }

  private async line(signal?: AbortSignal): Promise<string> {
    for (;;) {
      const end = this.pending.indexOf(10);
      if (end >= 0) {
        const line = this.pending.subarray(0, end).toString('utf8');
        this.pending = this.pending.subarray(end + 1);
        return line;
      }
      await this.more(signal);
    }
  }

  private async bytes(n: number, signal?: AbortSignal): Promise<Buffer> {
    while (this.pending.length < n) await this.more(signal);
    const bytes = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return bytes;
  }

  private async more(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      throw new Error(`the native prober exited (${this.child.signalCode ?? this.child.exitCode})`);
    await new Promise<void>((resolve) => (this.waiter = resolve));
    this.waiter = undefined;
  }
}
