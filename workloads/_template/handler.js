// TEMPLATE: copy this folder to workloads/<name>/ and replace this handler.
// A handler takes { method, path, query, headers, body } (strings; headers lower-case) and returns
// { status, headers, body } synchronously. It runs unchanged in Node (container and process) and
// inside a Wasm component (StarlingMonkey): use only the JavaScript language and its built-ins,
// no Node modules and no imports.
export function handle(request) {
  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `you asked for ${request.path}\n`,
  };
}
