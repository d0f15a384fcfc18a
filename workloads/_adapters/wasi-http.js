// Serves a workload handler as a wasi:http/proxy component (built with componentize-js).
// The handler is the same source the Node adapter serves; this file only translates wasi:http.
//
// The handler contract (body limit, 413 and 500 answers, checking the answer) is in contract.js,
// shared with node-server.js.
//
// Async: componentize-js turns an export that returns a Promise into a synchronous component
// function by running StarlingMonkey's event loop until the Promise settles. So `handle` below
// returns a Promise only when the handler did (a synchronous handler never enters the event loop),
// and the response is set from the Promise's continuation, before the export returns to the host.

import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from 'wasi:http/types@0.2.12';
import { BODY_LIMIT, failed, normalize, TOO_LARGE } from './contract.js';
import { handle } from './handler.js';

const MAX_WRITE = 4096; // blocking-write-and-flush accepts at most 4096 bytes per call
const MAX_READ = 65536n;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The whole request body, or undefined when it is larger than BODY_LIMIT. */
function readBody(request) {
  const body = request.consume();
  const stream = body.stream();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      let chunk;
      try {
        chunk = stream.blockingRead(MAX_READ);
      } catch (error) {
        if (error?.tag === 'closed' || error?.payload?.tag === 'closed') break;
        throw error;
      }
      size += chunk.length;
      if (size > BODY_LIMIT) return undefined;
      parts.push(chunk);
    }
  } finally {
    // The stream is a child of the body: drop it first.
    stream[Symbol.dispose]?.();
    body[Symbol.dispose]?.();
  }
  return decoder.decode(concat(parts, size));
}

function concat(parts, size) {
  const out = new Uint8Array(size);
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

/** Header values by lower-case name; a repeated header is joined with ", " (as Node does). */
function headerObject(fields) {
  const headers = {};
  for (const [name, value] of fields.entries()) {
    const text = decoder.decode(value);
    headers[name] = name in headers ? `${headers[name]}, ${text}` : text;
  }
  return headers;
}

function send(responseOut, answer) {
  let response;
  let body;
  try {
    const fields = Fields.fromList([
      ...answer.headers.map(([name, value]) => [name, encoder.encode(value)]),
      ['content-length', encoder.encode(String(answer.bytes.length))],
    ]);
    response = new OutgoingResponse(fields);
    response.setStatusCode(answer.status);
    body = response.body();
  } catch (error) {
    // e.g. a header name or value that wasi:http refuses: the same 500 as any handler failure.
    return send(responseOut, failed(error));
  }
  ResponseOutparam.set(responseOut, { tag: 'ok', val: response });
  const out = body.write();
  for (let offset = 0; offset < answer.bytes.length; offset += MAX_WRITE) {
    out.blockingWriteAndFlush(answer.bytes.subarray(offset, offset + MAX_WRITE));
  }
  out[Symbol.dispose]?.();
  OutgoingBody.finish(body, undefined);
}

export const incomingHandler = {
  handle(request, responseOut) {
    const target = request.pathWithQuery() ?? '/';
    const queryAt = target.indexOf('?');
    const method = methodName(request.method());
    const headers = headerObject(request.headers());
    const body = readBody(request);
    if (body === undefined) return send(responseOut, normalize(TOO_LARGE));
    let answer;
    try {
      answer = handle({
        method,
        path: queryAt < 0 ? target : target.slice(0, queryAt),
        query: queryAt < 0 ? '' : target.slice(queryAt + 1),
        headers,
        body,
      });
    } catch (error) {
      return send(responseOut, failed(error));
    }
    if (typeof answer?.then !== 'function') return send(responseOut, normalize(answer));
    // An async handler: componentize-js runs the event loop until this Promise settles.
    return Promise.resolve(answer)
      .then(normalize, failed)
      .then((ready) => send(responseOut, ready));
  },
};
