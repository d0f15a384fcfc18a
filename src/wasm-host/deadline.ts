// A deadline for one synchronous guest call in the V8 host, which runs every tenant on one thread.
//
// The call runs inside `vm`'s `runInThisContext({ breakOnSigint: true })`: a SIGINT then makes
// Node call V8's TerminateExecution, which stops JS and Wasm loops alike (a C guest's `for (;;)`
// included), and vm turns the termination back into an ordinary exception at its own boundary,
// so the host goes on serving. One watchdog worker thread, started once, watches the running call
// through shared memory and sends the SIGINT when it passes its deadline. A SIGINT listener
// (process.on('SIGINT')) would stop that thread: the host listens to SIGTERM only.
//
// Why not vm's own `timeout`: it starts a watchdog thread per call, which halved hello-c's
// throughput through the host. breakOnSigint costs a thread per call too (host CPU per hello-c
// request +35%), unless Node's SIGINT watchdog thread is already running, and `node --trace-sigint`
// (how the harness starts this host) keeps it running: then a guarded call cost what an unguarded
// one did, within this machine's noise. Worker threads per tenant cost ~10 MiB and ~100 ms each.
//
// The worker claims a call before signalling it (status: call id -> KILLING); a call that ends
// after the claim waits inside the guarded scope for the signal, so a SIGINT never lands outside
// the call it was meant for.
import { Script } from 'node:vm';
import { Worker } from 'node:worker_threads';

const STATUS = 0; // 0: no call; >0: the id of the running call; KILLING: the worker is signalling it
const DEADLINE = 1; // ms since `origin` by which the running call must end
const KILLING = -1;
const origin = Date.now();
const shared = new Int32Array(new SharedArrayBuffer(8));

// The watchdog looks at least every TICK_MS and otherwise sleeps until the running call's
// deadline: a call never wakes it (a wake per request cost throughput), and a call found running
// is signalled at its deadline, one found late by at most TICK_MS.
const TICK_MS = 50;
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const [shared, origin] = workerData;
for (;;) {
  const call = Atomics.load(shared, ${STATUS});
  const left = call > 0 ? Atomics.load(shared, ${DEADLINE}) - (Date.now() - origin) : ${TICK_MS};
  if (left > 0) { Atomics.wait(shared, ${STATUS}, call, Math.min(left, ${TICK_MS})); continue; }
  if (Atomics.compareExchange(shared, ${STATUS}, call, ${KILLING}) === call) process.kill(process.pid, 'SIGINT');
  while (Atomics.load(shared, ${STATUS}) === ${KILLING}) Atomics.wait(shared, ${STATUS}, ${KILLING});
}`;
let watchdog: Worker | undefined;

const GUEST_CALL = '__coldbenchGuestCall';
const script = new Script(`globalThis.${GUEST_CALL}()`, { filename: 'coldbench-guest-call' });
const scope = globalThis as unknown as Record<string, (() => unknown) | undefined>;
let lastCall = 0;

export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms exceeded`);
  }
}

function spinUntilSignalled(): never {
  for (;;) {
    // The watchdog has claimed this call: its SIGINT ends the loop by terminating it.
  }
}

/** Starts the watchdog thread (at host start, so that no tenant's first call pays for it). */
export function startWatchdog(): void {
  if (watchdog) return;
  watchdog = new Worker(WATCHDOG, { eval: true, workerData: [shared, origin] });
  watchdog.unref();
}

/** Runs `call`, stopping it after `ms`; a stopped call throws DeadlineExceeded, others' errors pass through. */
export function withDeadline<T>(ms: number, call: () => T): T {
  startWatchdog();
  lastCall = (lastCall % 0x7ffffffe) + 1;
  const id = lastCall;
  Atomics.store(shared, DEADLINE, Date.now() - origin + ms);
  Atomics.store(shared, STATUS, id);
  scope[GUEST_CALL] = () => {
    try {
      return call();
    } finally {
      if (Atomics.compareExchange(shared, STATUS, id, 0) !== id) spinUntilSignalled();
    }
  };
  try {
    return script.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
  } catch (error) {
    const interrupted = (error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
    if (interrupted && Atomics.load(shared, STATUS) === KILLING) throw new DeadlineExceeded(ms);
    throw error;
  } finally {
    scope[GUEST_CALL] = undefined;
    if (Atomics.load(shared, STATUS) !== 0) {
      Atomics.store(shared, STATUS, 0);
      Atomics.notify(shared, STATUS);
    }
  }
}
