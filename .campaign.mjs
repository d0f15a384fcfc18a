// Interrupt campaign: runs coldbench and interrupts it at random moments in different ways.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { findMarkedProcesses } from './dist/runtimes/process-marker.js';
import { dockerClient } from './dist/runtimes/docker-client.js';
import { seededRandom } from './dist/stats/verdicts.js';
const random = seededRandom(Number(process.argv[2] ?? 7));
const trials = Number(process.argv[3] ?? 10);
const kinds = ['INT', 'INT-group', 'INT-twice', 'TERM', 'stdout-closed', 'KILL'];
const docker = await dockerClient();
const rows = [];
for (let t = 0; t < trials; t++) {
  const kind = kinds[Math.floor(random() * kinds.length)];
  const delay = 1000 + Math.floor(random() * 24000);
  const out = mkdtempSync('/tmp/campaign/out-');
  const child = spawn(process.execPath, ['bin/coldbench.js', 'run', '/tmp/campaign/scenario.yaml', '--out', out], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '', lastLine = '';
  child.stdout.on('data', (c) => { stdout += c; lastLine = stdout.trim().split('\n').at(-1); });
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  let signalledAt;
  let moment;
  const timer = setTimeout(() => {
    signalledAt = performance.now();
    moment = lastLine.trim().slice(0, 60);
    if (kind === 'INT') child.kill('SIGINT');
    else if (kind === 'INT-group') process.kill(-child.pid, 'SIGINT');
    else if (kind === 'INT-twice') { child.kill('SIGINT'); setTimeout(() => child.kill('SIGINT'), 150); }
    else if (kind === 'TERM') child.kill('SIGTERM');
    else if (kind === 'stdout-closed') child.stdout.destroy();
    else child.kill('SIGKILL');
  }, delay);
  const end = await exited;
  clearTimeout(timer);
  const runId = /run (\S+):/.exec(stdout)?.[1] ?? '?';
  await new Promise((r) => setTimeout(r, 3000)); // the reaper's turn after -9
  const procs = (await findMarkedProcesses()).filter((p) => p.runId === runId).length;
  const containers = (await docker.listContainers({ all: true, filters: { label: [`coldbench.run=${runId}`] } })).length;
  let status = '-';
  try { const f = readdirSync(out)[0]; status = f ? JSON.parse(readFileSync(join(out, f), 'utf8')).status : 'no file'; } catch (e) { status = 'unreadable'; }
  const row = { t, kind, delayMs: delay, moment: signalledAt ? moment : '(finished first)', code: end.code ?? end.signal, exitAfterMs: signalledAt ? Math.round(end.at - signalledAt) : null, status, containersLeft: containers, processesLeft: procs, stderrLines: stderr.trim().split('\n').filter(Boolean).length };
  rows.push(row);
  console.log(JSON.stringify(row));
}
process.exit(0);
