// The full import object a wasi:http/proxy component gets in the Wasm host. HTTP and I/O are the
// host's in-memory implementations; clocks and random come from Node. Nothing is granted: an
// empty environment, no arguments, no working directory, no preopened directories (so a C
// program's getenv and fopen run and find nothing), an empty stdin, and outgoing HTTP refused
// with an error the guest sees (`HTTP-request-denied`). Guest stdout/stderr go to the host's
// stderr through a rate limit (guest-output.ts), one per tenant.
import { randomBytes, randomFillSync } from 'node:crypto';
import { GUEST_OUTPUT_DEFAULTS, GuestOutputLimit } from './guest-output.js';
import * as http from './wasi-http.js';
import * as io from './wasi-io.js';

const origin = process.hrtime.bigint();

/** The limit of imports made without one of their own (the reference's instances, which belong to no tenant). */
export const sharedGuestOutput = new GuestOutputLimit({ ...GUEST_OUTPUT_DEFAULTS, sink: (bytes) => process.stderr.write(bytes) });

export interface WasiImportOptions {
  /** Where guest stdout and stderr go; pass one per tenant for a limit per tenant. */
  output?: GuestOutputLimit;
}

class TerminalInput {}
class TerminalOutput {}
class Descriptor {
  constructor() {
    throw new Error('no filesystem in the coldbench Wasm host');
  }
}
class DirectoryEntryStream extends Descriptor {}
// No network either. componentize-py's CPython imports wasi:sockets (its libc links them) but a
// handler that keeps to the proxy world never calls them: a call fails as a trap.
class Unsupported {
  constructor() {
    throw new Error('no sockets in the coldbench Wasm host');
  }
}
const noSockets = () => {
  throw new Error('no sockets in the coldbench Wasm host');
};

export function wasiImports(options: WasiImportOptions = {}): Record<string, Record<string, unknown>> {
  const output = options.output ?? sharedGuestOutput;
  const guestOutput = () => new io.OutputStream((bytes) => output.write(bytes));
  return {
    'wasi:io/error': { Error: io.IoError },
    'wasi:io/poll': { Pollable: io.Pollable, poll: io.poll },
    'wasi:io/streams': { InputStream: io.InputStream, OutputStream: io.OutputStream },
    'wasi:http/types': {
      Fields: http.Fields,
      IncomingRequest: http.IncomingRequest,
      IncomingBody: http.IncomingBody,
      FutureTrailers: http.FutureTrailers,
      OutgoingResponse: http.OutgoingResponse,
      OutgoingBody: http.OutgoingBody,
      ResponseOutparam: http.ResponseOutparam,
      OutgoingRequest: http.OutgoingRequest,
      RequestOptions: http.RequestOptions,
      IncomingResponse: http.IncomingResponse,
      FutureIncomingResponse: http.FutureIncomingResponse,
      httpErrorCode: http.httpErrorCode,
    },
    'wasi:http/outgoing-handler': { handle: http.refuseOutgoing },
    'wasi:cli/environment': { getEnvironment: () => [], getArguments: () => [], initialCwd: () => undefined },
    'wasi:cli/exit': {
      // exit ends the instance: a trap, which the host answers 500 and marks the tenant broken.
      exit: (status: { tag: string }) => {
        throw new Error(`the guest called exit (${status.tag === 'ok' ? 'success' : 'failure'})`);
      },
    },
    'wasi:cli/stdin': { getStdin: () => new io.InputStream() },
    'wasi:cli/stdout': { getStdout: guestOutput },
    'wasi:cli/stderr': { getStderr: guestOutput },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
    'wasi:clocks/monotonic-clock': {
      now: () => process.hrtime.bigint() - origin,
      resolution: () => 1n,
      subscribeInstant: () => new io.Pollable(),
      subscribeDuration: () => new io.Pollable(),
    },
    'wasi:clocks/wall-clock': {
      now: () => {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1e6 }),
    },
    'wasi:random/random': {
      getRandomBytes: (len: bigint) => new Uint8Array(randomBytes(Number(len))),
      getRandomU64: () => randomFillSync(new BigUint64Array(1))[0]!,
    },
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: noSockets },
    'wasi:sockets/network': { Network: Unsupported },
    'wasi:sockets/ip-name-lookup': { ResolveAddressStream: Unsupported, resolveAddresses: noSockets },
    'wasi:sockets/tcp': { TcpSocket: Unsupported },
    'wasi:sockets/tcp-create-socket': { createTcpSocket: noSockets },
    'wasi:sockets/udp': { UdpSocket: Unsupported, IncomingDatagramStream: Unsupported, OutgoingDatagramStream: Unsupported },
    'wasi:sockets/udp-create-socket': { createUdpSocket: noSockets },
  };
}
