// throws-js (a test fixture): a synchronous handler that throws, or returns something that is not
// a response, on some paths, and answers with a Promise on one: every runtime must give the same
// answers, and keep serving after a failure.
export function handle(request) {
  switch (request.path) {
    case '/throw':
      throw new Error('thrown on purpose');
    case '/not-a-response':
      return 42;
    case '/bad-status':
      return { status: 'fine', body: 'no\n' };
    case '/promise':
      return Promise.resolve({ status: 202, headers: { 'content-type': 'text/plain' }, body: 'promised\n' });
    default:
      return {
        status: 200,
        headers: { 'Content-Type': 'text/plain', 'x-method': request.method },
        body: `${request.method} ${request.path} ${request.query} ${request.body.length} chars\n`,
      };
  }
}
