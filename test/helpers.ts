// Shared by tests: paths, running the real CLI, and looking for what a run left behind.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerClient } from '../src/runtimes/docker-client.js';
import { findMarkedProcesses } from '../src/runtimes/process-marker.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'bin', 'coldbench.js');

export async function tempDir(prefix = 'coldbench-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeScenario(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI; `onStdout` may act on output as it arrives (e.g. send SIGINT mid-run). */
export function runCli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function containersOfRun(runId: string): Promise<number> {
  const list = await dockerClient().listContainers({ all: true, filters: { label: [`coldbench.run=${runId}`] } });
  return list.length;
}

export async function processesOfRun(runId: string): Promise<number> {
  return (await findMarkedProcesses()).filter((p) => p.runId === runId).length;
}

/** A server on 127.0.0.1 that answers "hi\n", and a fake workload that expects exactly that. */
export async function startHiServer(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((_req, res) => res.end('hi\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export const HI_ARTIFACTS = {
  workload: { name: 'w', language: 'js', handler: 'h.js', dir: '/nowhere', requests: [{ path: '/', method: 'GET', expect: { status: 200, body: 'hi\n' } }] },
} as WorkloadArtifacts;
