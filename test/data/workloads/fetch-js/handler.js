// fetch-js (a test fixture): /fetch tries an outgoing request and answers whether it was refused.
// In the V8 Wasm host outgoing HTTP is denied: `fetch` must reject (not trap), and the tenant must
// keep answering afterwards.
export async function handle(request) {
  if (request.path === '/fetch') {
    try {
      const response = await fetch(`http://127.0.0.1:${request.query.replace(/^port=/, '') || '9'}/`);
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: `fetched: ${response.status}\n` };
    } catch (error) {
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: `fetch rejected: ${error?.message ?? error}\n` };
    }
  }
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok\n' };
}
