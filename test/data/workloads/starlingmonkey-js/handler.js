// starlingmonkey-js (a test fixture): probes what is known to differ inside a JS component
// (StarlingMonkey: SpiderMonkey without ICU) from Node. /probe answers one line per probe.
function probe(name, run) {
  try {
    return `${name}: ${JSON.stringify(run())}`;
  } catch (error) {
    return `${name}: threw ${error?.name}`;
  }
}

export function handle(request) {
  if (request.path !== '/probe') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok\n' };
  const lines = [
    probe('Intl', () => typeof Intl),
    probe('toLocaleString', () => (1234567.5).toLocaleString('en-US')),
    probe('normalize', () => 'e\u0301'.normalize('NFC').length),
    probe('localeCompare', () => 'a'.localeCompare('B')),
    probe('property escape', () => new RegExp('\\p{L}', 'u').test('é')),
  ];
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: `${lines.join('\n')}\n` };
}
