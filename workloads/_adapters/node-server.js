// Serves a workload handler as a plain Node HTTP server: the container and process runtimes run this.
// It listens on PORT (default 8080) on HOST (default 127.0.0.1; containers use 0.0.0.0).
import { createServer } from 'node:http';
import { handle } from './handler.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://workload');
    let answer;
    try {
      answer = handle({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    } catch (error) {
      answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: String(error) + '\n' };
    }
    const body = Buffer.from(answer.body ?? '', 'utf8');
    res.writeHead(answer.status, { ...answer.headers, 'content-length': body.length });
    res.end(body);
  });
});

server.listen(port, host);
// A container's PID 1 gets no default signal handlers: exit on TERM/INT ourselves.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
