// loop-js (a test fixture): /loop never returns, so a host's deadline must stop a JS guest
// (SpiderMonkey inside the component) as it stops a C one; anything else answers "ok".
export function handle(request) {
  if (request.path === '/loop') for (;;) { /* on purpose */ }
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok\n' };
}
