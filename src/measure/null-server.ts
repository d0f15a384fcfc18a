// The null target: an already-listening server that answers at once. Probing it measures the
// prober's own floor (connection set-up + one request on loopback), stored beside cold starts.
import { createServer } from 'node:http';
import { exitWithParent } from '../parent-watchdog.js';

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
});
server.listen(port, '127.0.0.1', () => console.log(`coldbench-null-server ready ${port}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
exitWithParent(0);
