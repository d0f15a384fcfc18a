// async-js (a test fixture): an `async` handler. It awaits a timer (so the answer really comes
// from a later turn of the event loop), and fails after an await on /throw and /reject: both must
// be answered 500 "internal error\n", and the next request normally, on every runtime.
const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 1));

export async function handle(request) {
  const when = await later('later');
  if (request.path === '/throw') throw new Error('thrown after an await, on purpose');
  if (request.path === '/reject') return Promise.reject(new Error('rejected on purpose'));
  return {
    status: request.method === 'POST' ? 201 : 200,
    headers: { 'content-type': 'text/plain' },
    body: `${when}: ${request.method} ${request.path} ${request.query} ${request.body.length} chars\n`,
  };
}
