// The V8 host's tenants in worker threads (isolation.ts): one worker per tenant, or a pool of a
// fixed size. The host's thread only routes: it sends one message at a time to each worker, and
// times the call it sent. A call past its deadline, or a worker that dies (out of heap), ends that
// worker: the call answers 500 as a fault, and a new worker takes its place, into which the worker's
// tenants are instantiated afresh (their state is lost, as after any fault) before the requests
// that waited for them.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { PhaseTiming } from '../runtimes/types.js';
import { compiled, type Placement } from './placement.js';
import { deadlineResponse, type FaultKind, type Invoked, type TenantLimits, textResponse } from './tenants.js';
import type { FromWorker, ToWorker, WorkerAnswer } from './worker-protocol.js';

const WORKER_SCRIPT = new URL('./tenant-worker.js', import.meta.url);
/** A worker's JS heap limit: a backstop against a host import that a guest makes allocate without end (linear memory is capped apart). */
const WORKER_HEAP_MIB = 256;

interface Job {
  message: ToWorker;
  /** Set for calls into a guest: the worker is ended when the answer takes longer. */
  deadlineMs?: number;
  done(answer: WorkerAnswer): void;
  /** The worker ended while running this job. */
  killed(fault: FaultKind, why: string): void;
}

interface Spec {
  glue: string;
  modules: [string, WebAssembly.Module][];
}

class TenantWorker {
  worker!: Worker;
  /** Resolves with how long the worker took to start, once it is ready (undefined: it could not start). */
  ready!: Promise<number | undefined>;
  private started = false;
  readonly tenants = new Set<string>();
  private queue: Job[] = [];
  private running?: Job;
  private timer?: NodeJS.Timeout;
  /** Set when a worker could not even start: nothing is sent any more, every call fails with it. */
  private broken?: string;

  constructor(
    private readonly specs: Map<string, Spec>,
    private readonly limits: TenantLimits,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const started = performance.now();
    const worker = new Worker(WORKER_SCRIPT, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MIB } });
    this.worker = worker;
    worker.unref();
    this.started = false;
    let resolveReady: (ms: number | undefined) => void = () => {};
    this.ready = new Promise((resolve) => {
      resolveReady = resolve;
    });
    const ended = (fault: FaultKind, why: string) => {
      if (worker !== this.worker) return;
      if (this.started) return this.replace(fault, why);
      resolveReady(undefined);
      // Respawning a worker that cannot start would only loop.
      this.broken = `a tenant worker could not start: ${why}`;
      for (const job of [...(this.running ? [this.running] : []), ...this.queue.splice(0)]) job.killed('trap', this.broken);
      this.finish();
    };
    worker.on('message', (answer: FromWorker) => {
      if (worker !== this.worker) return;
      if ('ready' in answer) {
        this.started = true;
        resolveReady(performance.now() - started);
        return this.pump();
      }
      const job = this.running!;
      this.finish();
      job.done(answer);
      this.pump();
    });
    // Out of heap, or any crash: the running call is the one that caused it.
    worker.on('error', (error: Error & { code?: string }) =>
      ended(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'trap', error.message.split('\n')[0]!),
    );
    worker.on('exit', () => ended('trap', 'its worker exited'));
  }

  send(job: Job): void {
    if (this.broken) {
      job.killed('trap', this.broken);
      return;
    }
    this.queue.push(job);
    this.pump();
  }

  // Nothing is sent before the worker is ready: a call's deadline starts when it can run.
  private pump(): void {
    if (!this.started || this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    this.worker.postMessage(job.message);
    if (job.deadlineMs !== undefined) {
      const ms = job.deadlineMs;
      this.timer = setTimeout(() => this.replace('deadline', `deadline of ${ms} ms exceeded`), ms);
    }
  }

  private finish(): void {
    clearTimeout(this.timer);
    this.running = undefined;
  }

  /** Ends this worker and starts a new one with the same tenants, instantiated afresh before anything that waits. */
  private replace(fault: FaultKind, why: string): void {
    const job = this.running;
    this.finish();
    const old = this.worker;
    this.spawn();
    void old.terminate();
    const restores: Job[] = [...this.tenants].map((id) => ({
      message: { op: 'add', id, ...this.specs.get(id)!, limits: this.limits },
      done: (answer) => {
        if (!answer.ok) console.error(`coldbench V8 host: tenant ${id} not restored: ${answer.error}`);
      },
      killed: () => console.error(`coldbench V8 host: tenant ${id} not restored: its worker ended`),
    }));
    this.queue.unshift(...restores);
    job?.killed(fault, why);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined as unknown as Worker; // its exit is not a crash
    await worker.terminate();
  }
}

function call(worker: TenantWorker, message: ToWorker, deadlineMs?: number): Promise<WorkerAnswer | { killed: FaultKind; why: string }> {
  return new Promise((resolve) => worker.send({ message, deadlineMs, done: resolve, killed: (killed, why) => resolve({ killed, why }) }));
}

/** `poolWorkers`: the pool's size; undefined: a worker per tenant. */
export function workerPlacement(poolWorkers: number | undefined, limits: TenantLimits): Placement {
  const specs = new Map<string, Spec>();
  const homes = new Map<string, TenantWorker>();
  const pool: TenantWorker[] = [];

  /** A new worker for each tenant; in a pool, a new one until the pool is full, then the least loaded. */
  function home(): { worker: TenantWorker; fresh: boolean } {
    if (poolWorkers === undefined || pool.length < poolWorkers) {
      const worker = new TenantWorker(specs, limits);
      if (poolWorkers !== undefined) pool.push(worker);
      return { worker, fresh: true };
    }
    return { worker: pool.reduce((a, b) => (b.tenants.size < a.tenants.size ? b : a)), fresh: false };
  }

  const faultAnswer = (id: string, killed: FaultKind, why: string, ms: number): Invoked => ({
    response: killed === 'deadline' ? deadlineResponse(id, ms) : textResponse(500, `tenant ${id}: ${killed === 'memory' ? 'out of memory' : 'trap'}: ${why}\n`),
    fault: killed,
    linearMemoryBytes: 0,
    outputDroppedBytes: 0,
  });

  return {
    async add(id, glue, firstPath) {
      const { component, cached, phases } = await compiled(glue, limits);
      const spec: Spec = { glue, modules: [...component.modules] };
      const { worker, fresh } = home();
      const startMs = await worker.ready;
      const started: PhaseTiming[] = fresh && startMs !== undefined ? [{ phase: 'worker-start', ms: startMs }] : [];
      specs.set(id, spec);
      worker.tenants.add(id);
      homes.set(id, worker);
      const answer = await call(worker, { op: 'add', id, ...spec, limits, firstPath }, limits.deadlineMs);
      // A first call that loops or crashes its worker is a fault, as on the host's thread: the tenant stays (restored).
      if ('killed' in answer)
        return { compileCached: cached, phases: [...phases, ...started], first: faultAnswer(id, answer.killed, answer.why, limits.deadlineMs) };
      if (!answer.ok) {
        await this.remove(id);
        throw new Error(answer.error);
      }
      return { compileCached: cached, phases: [...phases, ...started, ...(answer.phases ?? [])], first: answer.invoked! };
    },
    async invoke(id, request) {
      const worker = homes.get(id);
      if (!worker) throw new Error(`no tenant ${id}`);
      const answer = await call(worker, { op: 'invoke', id, request }, limits.deadlineMs);
      if ('killed' in answer) return faultAnswer(id, answer.killed, answer.why, limits.deadlineMs);
      if (!answer.ok) throw new Error(answer.error);
      return answer.invoked!;
    },
    async remove(id) {
      const worker = homes.get(id);
      homes.delete(id);
      specs.delete(id);
      if (!worker) return;
      worker.tenants.delete(id);
      if (poolWorkers === undefined) await worker.stop();
      else await call(worker, { op: 'remove', id });
    },
  };
}
