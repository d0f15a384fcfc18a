// A deadline for one synchronous guest call in the V8 host. Node's vm `timeout` starts a watchdog
// thread that calls V8's TerminateExecution at the deadline, which stops JS and Wasm loops alike
// (a C guest's `for (;;)` included), and vm turns the termination back into an ordinary exception
// at its own boundary, so the host goes on serving. Measured on this host's hello-c call: about
// +80-150 µs of CPU per call (a thread per call), against ~160 µs for the call itself; the
// alternatives cost more where it matters: breakOnSigint with one watchdog worker also starts a
// thread per call (+60-70 µs), and a worker thread per tenant costs ~10 MiB and ~100 ms to start.
import { Script } from 'node:vm';

const GUEST_CALL = '__coldbenchGuestCall';
const script = new Script(`globalThis.${GUEST_CALL}()`, { filename: 'coldbench-guest-call' });
const scope = globalThis as unknown as Record<string, (() => unknown) | undefined>;

export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms exceeded`);
  }
}

/** Runs `call`, stopping it after `ms`; a stopped call throws DeadlineExceeded, others' errors pass through. */
export function withDeadline<T>(ms: number, call: () => T): T {
  scope[GUEST_CALL] = call;
  try {
    return script.runInThisContext({ timeout: ms, displayErrors: false }) as T;
  } catch (error) {
    if ((error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new DeadlineExceeded(ms);
    throw error;
  } finally {
    scope[GUEST_CALL] = undefined;
  }
}
