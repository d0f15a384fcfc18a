// TEMPLATE: copy this folder to workloads/<name>/ and replace this handler.
//
// The handler contract (the same on every runtime: container, process and Wasm component):
// - handle(request) gets { method, path, query, headers, body }: strings (the path and query as
//   sent, split at the first "?"; header names lower-case; the body decoded as UTF-8).
// - It returns { status, headers, body } (body: a string or a Uint8Array), or a Promise of it: an
//   `async` handler works everywhere.
// - If it throws, rejects or returns something else, the answer is 500 "internal error\n"
//   (text/plain), the error goes to stderr, and the next request is served normally.
// - A request body over 1 MiB is answered 413 "request body too large\n" without calling it.
// It runs unchanged in Node and inside a Wasm component (StarlingMonkey): use only the JavaScript
// language and its built-ins, no Node modules and no imports. Inside Wasm there is no Intl
// (toLocaleString does not group digits, localeCompare compares code units), no
// String.prototype.normalize, and no Unicode property escapes (/\p{L}/u) in regular expressions.
export function handle(request) {
  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `you asked for ${request.path}\n`,
  };
}
