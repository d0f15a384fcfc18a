// Serves a workload handler as a wasi:http/proxy component (built with componentize-js).
// The handler is the same source the Node adapter serves; this file only translates wasi:http.
import { handle } from './handler.js';
import { Fields, OutgoingResponse, OutgoingBody, ResponseOutparam } from 'wasi:http/types@0.2.12';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_WRITE = 4096; // blocking-write-and-flush accepts at most 4096 bytes per call

function readBody(request) {
  const body = request.consume();
  const stream = body.stream();
  const parts = [];
  for (;;) {
    try {
      parts.push(stream.blockingRead(65536n));
    } catch (error) {
      if (error?.tag === 'closed' || error?.payload?.tag === 'closed') break;
      throw error;
    }
  }
  stream[Symbol.dispose]?.();
  return decoder.decode(concat(parts));
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function methodName(method) {
  return method.tag === 'other' ? method.val : method.tag.toUpperCase();
}

export const incomingHandler = {
  handle(request, responseOut) {
    const target = request.pathWithQuery() ?? '/';
    const queryAt = target.indexOf('?');
    const headers = Object.fromEntries(
      request.headers().entries().map(([name, value]) => [name, decoder.decode(value)]),
    );
    const answer = handle({
      method: methodName(request.method()),
      path: queryAt < 0 ? target : target.slice(0, queryAt),
      query: queryAt < 0 ? '' : target.slice(queryAt + 1),
      headers,
      body: readBody(request),
    });
    const bytes = encoder.encode(answer.body ?? '');
    const fields = Fields.fromList([
      ...Object.entries(answer.headers ?? {}).map(([name, value]) => [name, encoder.encode(String(value))]),
      ['content-length', encoder.encode(String(bytes.length))],
    ]);
    const response = new OutgoingResponse(fields);
    response.setStatusCode(answer.status);
    const body = response.body();
    ResponseOutparam.set(responseOut, { tag: 'ok', val: response });
    const out = body.write();
    for (let offset = 0; offset < bytes.length; offset += MAX_WRITE) {
      out.blockingWriteAndFlush(bytes.subarray(offset, offset + MAX_WRITE));
    }
    out[Symbol.dispose]?.();
    OutgoingBody.finish(body, undefined);
  },
};
