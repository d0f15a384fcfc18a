# Serves a workload handler (handler.py) as an HTTP server on Debian's python3, standard library
# only: the container and process runtimes run this. It listens on PORT (default 8080) on HOST
# (default 127.0.0.1; containers use 0.0.0.0). One thread per connection, so that kept-alive
# connections do not wait for each other. The contract is in contract.py, shared with wasi_http.py.
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from contract import BODY_LIMIT, TOO_LARGE, call, normalize, split_target
from handler import handle


class Front(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive, like the Node and C fronts

    def __getattr__(self, name):
        # http.server looks up do_<METHOD>: every method (PURGE too) goes to the handler.
        if name.startswith('do_'):
            return self.serve
        raise AttributeError(name)

    def log_message(self, *args):
        pass  # no line per request

    def read_body(self):
        """The whole body as bytes, or None when it is larger than BODY_LIMIT (read and dropped)."""
        if 'chunked' in self.headers.get('transfer-encoding', '').lower():
            parts, size = [], 0
            while True:
                length = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if length == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass  # trailers
                    break
                chunk = self.rfile.read(length)
                self.rfile.readline()
                size += length
                if size <= BODY_LIMIT:
                    parts.append(chunk)
            return b''.join(parts) if size <= BODY_LIMIT else None
        length = int(self.headers.get('content-length') or 0)
        if length <= BODY_LIMIT:
            return self.rfile.read(length)
        while length > 0:  # past the limit the body is read and dropped: the connection stays usable
            length -= len(self.rfile.read(min(length, 65536)) or b'x' * length)
        return None

    def serve(self):
        body = self.read_body()
        if body is None:
            return self.send(normalize(TOO_LARGE))
        headers = {}
        for name, value in self.headers.items():
            name = name.lower()
            headers[name] = f'{headers[name]}, {value}' if name in headers else value
        path, query = split_target(self.path)
        request = {'method': self.command, 'path': path, 'query': query, 'headers': headers, 'body': body.decode('utf-8', 'replace')}
        self.send(call(handle, request))

    def send(self, answer):
        status, headers, body = answer
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('content-length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def main():
    server = Server((os.environ.get('HOST', '127.0.0.1'), int(os.environ.get('PORT', '8080'))), Front)
    # A container's PID 1 gets no default signal handlers: exit on TERM/INT ourselves.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit(0))
    server.serve_forever()


main()
