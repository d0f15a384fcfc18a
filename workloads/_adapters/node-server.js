// Serves a workload handler as a plain Node HTTP server: the container and process runtimes run this.
// It listens on PORT (default 8080) on HOST (default 127.0.0.1; containers use 0.0.0.0).
//
// The handler contract (body limit, 413 and 500 answers, checking the answer) is in contract.js,
// shared with wasi-http.js.
import { createServer } from 'node:http';
import { BODY_LIMIT, failed, normalize, TOO_LARGE } from './contract.js';
import { handle } from './handler.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

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
    Promise.resolve(answer)
      .then(normalize, failed)
      .then((ready) => send(res, ready));
  });
});

server.listen(port, host);
// A container's PID 1 gets no default signal handlers: exit on TERM/INT ourselves.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
