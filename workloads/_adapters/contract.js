// The handler contract both JS adapters keep (node-server.js in containers and processes,
// wasi-http.js inside the component): the body limit, the 413 and 500 answers, and how a
// handler's answer is checked. Plain JS with no Node or wasi imports, so both can load it.
// - handle(request) gets { method, path, query, headers, body } and returns { status, headers, body },
//   or a Promise of it (an async handler).
// - A request body larger than BODY_LIMIT bytes is answered 413 without calling the handler.
// - A handler that throws, rejects, or returns something that is not a response is answered 500
//   `internal error\n` (text/plain), and the error goes to stderr. The next request is served normally.

export const BODY_LIMIT = 1024 * 1024; // bytes; the same limit as the C adapters (CB_REQUEST_BODY_MAX)
export const TOO_LARGE = { status: 413, headers: { 'content-type': 'text/plain' }, body: 'request body too large\n' };
const INTERNAL_ERROR = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error\n' };
const encoder = new TextEncoder();

/** Logs why the handler failed and gives the 500 answer. */
export function failed(error) {
  // SpiderMonkey's stack has no message line, V8's starts with it.
  const stack = String(error?.stack ?? '');
  console.error(`handler failed: ${stack.startsWith(String(error)) ? stack : `${error}\n${stack}`}`);
  return normalize(INTERNAL_ERROR);
}

/** A response with the body as bytes and headers as [name, value] strings (lower-case names). */
export function normalize(answer) {
  if (answer === null || typeof answer !== 'object') return failed(new TypeError(`handler returned ${answer}, not a response`));
  const { status } = answer;
  if (!Number.isInteger(status) || status < 100 || status > 999) return failed(new TypeError(`handler returned status ${status}`));
  const body = answer.body ?? '';
  let bytes;
  if (typeof body === 'string') bytes = encoder.encode(body);
  else if (body instanceof Uint8Array) bytes = body;
  else return failed(new TypeError(`handler returned a body of type ${typeof body}`));
  const headers = Object.entries(answer.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), String(value)])
    .filter(([name]) => name !== 'content-length');
  return { status, headers, bytes };
}
