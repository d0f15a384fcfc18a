// The full import object a wasi:http/proxy component gets in the Wasm host. HTTP and I/O are the
// host's in-memory implementations; clocks and random come from Node; there is no filesystem,
// no stdin, and guest stdout/stderr go to the host's stderr, rate-limited (guest-output.ts).
import { randomBytes, randomFillSync } from 'node:crypto';
import * as io from './wasi-io.js';
import * as http from './wasi-http.js';
import { GUEST_OUTPUT_LIMIT, limitedOutput } from './guest-output.js';

const origin = process.hrtime.bigint();

const toStderr = limitedOutput(GUEST_OUTPUT_LIMIT, (bytes) => process.stderr.write(bytes));

function guestOutput(): io.OutputStream {
  return new io.OutputStream(toStderr);
}

class TerminalInput {}
class TerminalOutput {}
class Descriptor {
  constructor() {
    throw new Error('no filesystem in the coldbench Wasm host');
  }
}

export function wasiImports(): Record<string, Record<string, unknown>> {
  return {
    'wasi:io/error': { Error: io.IoError },
    'wasi:io/poll': { Pollable: io.Pollable, poll: io.poll },
    'wasi:io/streams': { InputStream: io.InputStream, OutputStream: io.OutputStream },
    'wasi:http/types': {
      Fields: http.Fields, IncomingRequest: http.IncomingRequest, IncomingBody: http.IncomingBody,
      FutureTrailers: http.FutureTrailers, OutgoingResponse: http.OutgoingResponse, OutgoingBody: http.OutgoingBody,
      ResponseOutparam: http.ResponseOutparam, OutgoingRequest: http.OutgoingRequest, RequestOptions: http.RequestOptions,
      IncomingResponse: http.IncomingResponse, FutureIncomingResponse: http.FutureIncomingResponse,
      httpErrorCode: http.httpErrorCode,
    },
    'wasi:http/outgoing-handler': {
      handle() {
        throw { tag: 'internal-error', val: 'outgoing HTTP is not available in coldbench' };
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
    'wasi:filesystem/types': { Descriptor, filesystemErrorCode: () => undefined },
  };
}
