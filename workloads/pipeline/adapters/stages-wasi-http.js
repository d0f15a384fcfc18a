// The front's stages as Wasm services (runtime wasmtime-services): one HTTP request per call over
// wasi:http/outgoing-handler. The host grants the front exactly its stages' URLs and gives them to
// it as environment variables (PIPELINE_CHECK_URL, PIPELINE_SHAPE_URL); a request anywhere else is
// denied by the host, and the call throws with the denied address.
//
// Not fetch: StarlingMonkey's fetch (componentize-js 0.23) aborted the whole instance when a POST
// with a body was refused ("event loop error, but no exception is pending"), trapping the front.
import { getEnvironment } from 'wasi:cli/environment@0.2.12';
import { handle } from 'wasi:http/outgoing-handler@0.2.12';
import { Fields, OutgoingBody, OutgoingRequest } from 'wasi:http/types@0.2.12';

const MAX_WRITE = 4096; // blocking-write-and-flush accepts at most 4096 bytes per call
const MAX_READ = 65536n;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let env;

/** A stage's URL, read on the first call: top-level code runs when the component is built, not in the host. */
function stageUrl(name, path) {
  env ??= Object.fromEntries(getEnvironment());
  if (!env[name]) throw new Error(`${name} is not set`);
  return `${env[name]}${path}`;
}

function readAll(response) {
  const body = response.consume();
  const stream = body.stream();
  const parts = [];
  try {
    for (;;) {
      try {
        parts.push(stream.blockingRead(MAX_READ));
      } catch (error) {
        if (error?.tag === 'closed' || error?.payload?.tag === 'closed') break;
        throw error;
      }
    }
  } finally {
    stream[Symbol.dispose]?.();
    body[Symbol.dispose]?.();
  }
  let text = '';
  for (const part of parts) text += decoder.decode(part, { stream: true });
  return text + decoder.decode();
}

/** POSTs `text` to `url` and waits for the whole answer; throws naming the URL when the host refuses or the request fails. */
function post(url, text) {
  const target = new URL(url);
  const bytes = encoder.encode(text);
  const request = new OutgoingRequest(
    Fields.fromList([
      ['content-type', encoder.encode('text/plain')],
      ['content-length', encoder.encode(String(bytes.length))],
    ]),
  );
  request.setMethod({ tag: 'post' });
  request.setScheme({ tag: target.protocol === 'https:' ? 'HTTPS' : 'HTTP' });
  request.setAuthority(target.host);
  request.setPathWithQuery(target.pathname + target.search);
  const body = request.body();
  const stream = body.write();
  for (let at = 0; at < bytes.length; at += MAX_WRITE) stream.blockingWriteAndFlush(bytes.subarray(at, at + MAX_WRITE));
  stream[Symbol.dispose]?.();
  OutgoingBody.finish(body, undefined);
  let future;
  try {
    future = handle(request, undefined);
  } catch (error) {
    throw new Error(`POST ${url}: ${error?.payload?.tag ?? error}`);
  }
  try {
    const ready = future.subscribe();
    ready.block();
    ready[Symbol.dispose]?.();
    const outcome = future.get(); // option<result<result<incoming-response, error-code>>>
    const answered = outcome?.tag === 'ok' ? outcome.val : undefined;
    if (answered?.tag !== 'ok') throw new Error(`POST ${url}: ${answered?.val?.tag ?? 'no response'}`);
    const response = answered.val;
    try {
      return { status: response.status(), text: readAll(response) };
    } finally {
      response[Symbol.dispose]?.();
    }
  } finally {
    future[Symbol.dispose]?.();
  }
}

export function check(line) {
  const { status, text } = post(stageUrl('PIPELINE_CHECK_URL', '/check'), line);
  if (status === 200) return { ok: true, value: text };
  if (status === 422) return { ok: false, error: text };
  throw new Error(`check answered ${status}`);
}

export function shape(checked) {
  const { status, text } = post(stageUrl('PIPELINE_SHAPE_URL', '/shape'), checked);
  if (status !== 200) throw new Error(`shape answered ${status}`);
  return text;
}
