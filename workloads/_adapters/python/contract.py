# The handler contract both Python adapters keep (server.py in containers and processes,
# wasi_http.py inside the component), the same as the JS and C adapters': the body limit, the 413
# and 500 answers, and how a handler's answer is checked. No imports beyond the standard library's
# core, so both can load it.
# - handle(request) gets a dict {method, path, query, headers, body} and returns a dict
#   {status, headers, body} (body a str or bytes).
# - A request body larger than BODY_LIMIT bytes is answered 413 without calling the handler.
# - A handler that raises, or returns something that is not a response, is answered 500
#   `internal error\n` (text/plain), and the error goes to stderr. The next request is served normally.
import sys
import traceback

BODY_LIMIT = 1024 * 1024  # bytes; the same limit as the JS and C adapters
TOO_LARGE = {'status': 413, 'headers': {'content-type': 'text/plain'}, 'body': 'request body too large\n'}
INTERNAL_ERROR = {'status': 500, 'headers': {'content-type': 'text/plain'}, 'body': 'internal error\n'}


def failed(error):
    """Logs why the handler failed and gives the 500 answer."""
    text = ''.join(traceback.format_exception(type(error), error, error.__traceback__))
    print(f'handler failed: {text}', file=sys.stderr, end='', flush=True)
    return normalize(INTERNAL_ERROR)


def normalize(answer):
    """(status, [(name, value)] with lower-case names, body bytes), or the 500 answer."""
    if not isinstance(answer, dict):
        return failed(TypeError(f'handler returned {answer!r}, not a response'))
    status = answer.get('status')
    if type(status) is not int or status < 100 or status > 999:
        return failed(TypeError(f'handler returned status {status!r}'))
    body = answer.get('body')
    if body is None:
        body = b''
    elif isinstance(body, str):
        body = body.encode('utf-8')
    elif not isinstance(body, (bytes, bytearray)):
        return failed(TypeError(f'handler returned a body of type {type(body).__name__}'))
    headers = [(str(name).lower(), str(value)) for name, value in (answer.get('headers') or {}).items()]
    return status, [h for h in headers if h[0] != 'content-length'], bytes(body)


def call(handle, request):
    """The handler's answer to one request, normalized; a failure is the 500 answer."""
    try:
        return normalize(handle(request))
    except Exception as error:  # noqa: BLE001 - any handler failure is the same 500
        return failed(error)


def split_target(target):
    """Path and query as sent, split at the first "?" (not decoded or normalized)."""
    path, _, query = target.partition('?')
    return path, query
