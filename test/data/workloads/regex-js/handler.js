// regex-js (a test fixture): a Unicode property escape. Node runs it; StarlingMonkey rejects it
// while componentize-js pre-initializes the component (the wizer step), so the build fails.
const LETTER = /\p{L}/u;

export function handle(request) {
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: `${LETTER.test(request.query)}\n` };
}
