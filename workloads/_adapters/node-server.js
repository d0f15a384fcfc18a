// Serves a workload handler as a plain Node HTTP server: the container and process runtimes run this.
// It listens on PORT (default 8080) on HOST (default 127.0.0.1; containers use 0.0.0.0).
//
// The handler contract (the same in wasi-http.js; keep the two in step):
// - handle(request) gets { method, path, query, headers, body } and returns { status, headers, body },
//   or a Promise of it (an async handler).
// - A request body larger than BODY_LIMIT bytes is answered 413 without calling the handler.
// - A handler that throws, rejects, or returns something that is not a response is answered 500
//   `internal error\n` (text/plain), and the error goes to stderr. The next request is served normally.
import { createServer } from 'node:http';
import { handle } from './handler.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const BODY_LIMIT = 1024 * 1024; // bytes; the same limit as wasi-http.js and the C adapters
const TOO_LARGE = { status: 413, headers: { 'content-type': 'text/plain' }, body: 'request body too large\n' };
const INTERNAL_ERROR = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error\n' };

/** Logs why the handler failed and gives the 500 answer. */
function failed(error) {
  const stack = String(error?.stack ?? '');
  console.error(`handler failed: ${stack.startsWith(String(error)) ? stack : `${error}\n${stack}`}`);
  return normalize(INTERNAL_ERROR);
}

/** A response with the body as bytes and headers as [name, value] strings (lower-case names). */
function normalize(answer) {
  if (answer === null || typeof answer !== 'object') return failed(new TypeError(`handler returned ${answer}, not a response`));
  const { status } = answer;
  if (!Number.isInteger(status) || status < 100 || status > 999) return failed(new TypeError(`handler returned status ${status}`));
  const body = answer.body ?? '';
  let bytes;
  if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array) bytes = body;
  else return failed(new TypeError(`handler returned a body of type ${typeof body}`));
  const headers = Object.entries(answer.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), String(value)])
    .filter(([name]) => name !== 'content-length');
  return { status, headers, bytes };
}

function send(res, answer) {
  try {
    res.writeHead(answer.status, [...answer.headers, ['content-length', String(answer.bytes.length)]].flat());
  } catch (error) {
    // e.g. a header name or value that HTTP refuses: the same 500 as any handler failure.
    return send(res, failed(error));
  }
  res.end(answer.bytes);
}

const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    // Past the limit the rest of the body is read and dropped, so the connection stays usable.
    if (size <= BODY_LIMIT) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > BODY_LIMIT) return send(res, normalize(TOO_LARGE));
    // The request target as it came, split at the first "?" (no normalization: the Wasm and C
    // adapters see the same path).
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    let answer;
    try {
      answer = handle({
        method: req.method ?? 'GET',
        path: queryAt < 0 ? target : target.slice(0, queryAt),
        query: queryAt < 0 ? '' : target.slice(queryAt + 1),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    } catch (error) {
      return send(res, failed(error));
    }
    if (typeof answer?.then !== 'function') return send(res, normalize(answer));
    Promise.resolve(answer).then(normalize, failed).then((ready) => send(res, ready));
  });
});

server.listen(port, host);
// A container's PID 1 gets no default signal handlers: exit on TERM/INT ourselves.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
