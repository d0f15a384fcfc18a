# Serves a workload handler (handler.py) as a wasi:http/proxy component, built with componentize-py.
# The handler is the same source server.py serves; this file only translates wasi:http. The
# contract (body limit, 413 and 500 answers, checking the answer) is in contract.py.
from componentize_py_types import Err, Ok
from contract import BODY_LIMIT, TOO_LARGE, call, failed, normalize, split_target
from handler import handle
from wit_world import exports
from wit_world.imports import streams
from wit_world.imports.types import Fields, IncomingRequest, Method_Other, OutgoingBody, OutgoingResponse, ResponseOutparam

MAX_WRITE = 4096  # blocking-write-and-flush accepts at most 4096 bytes per call
MAX_READ = 65536


def read_body(request):
    """The whole request body as bytes, or None when it is larger than BODY_LIMIT."""
    body = request.consume()
    stream = body.stream()
    parts, size = [], 0
    try:
        while True:
            try:
                chunk = stream.blocking_read(MAX_READ)
            except Err as error:
                if isinstance(error.value, streams.StreamError_Closed):
                    break
                raise
            size += len(chunk)
            if size > BODY_LIMIT:
                return None
            parts.append(chunk)
    finally:
        # The stream is a child of the body: drop it first.
        stream.__exit__(None, None, None)
        body.__exit__(None, None, None)
    return b''.join(parts)


def method_name(method):
    return method.value if isinstance(method, Method_Other) else type(method).__name__.removeprefix('Method_').upper()


def header_dict(fields):
    """Header values by lower-case name; a repeated header is joined with ", " (as Node does)."""
    headers = {}
    for name, value in fields.entries():
        text = value.decode('utf-8', 'replace')
        headers[name] = f'{headers[name]}, {text}' if name in headers else text
    return headers


def send(response_out, answer):
    status, headers, body_bytes = answer
    try:
        fields = Fields.from_list([(name, value.encode('utf-8')) for name, value in headers] + [('content-length', str(len(body_bytes)).encode())])
        response = OutgoingResponse(fields)
        response.set_status_code(status)
        body = response.body()
    except Exception as error:  # noqa: BLE001 - e.g. a header wasi:http refuses: the same 500 as any failure
        return send(response_out, failed(error))
    ResponseOutparam.set(response_out, Ok(response))
    out = body.write()
    for offset in range(0, len(body_bytes), MAX_WRITE):
        out.blocking_write_and_flush(body_bytes[offset : offset + MAX_WRITE])
    out.__exit__(None, None, None)
    OutgoingBody.finish(body, None)


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        path, query = split_target(request.path_with_query() or '/')
        method = method_name(request.method())
        headers = header_dict(request.headers())
        body = read_body(request)
        if body is None:
            return send(response_out, normalize(TOO_LARGE))
        request_dict = {'method': method, 'path': path, 'query': query, 'headers': headers, 'body': body.decode('utf-8', 'replace')}
        send(response_out, call(handle, request_dict))
