// Starting and stopping the processes coldbench owns (workload processes, Wasm hosts, the null
// server). Every one carries the run marker, and stop() waits until it has really exited.
import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { markerArgs, markerEnv } from './process-marker.js';

export interface StartedChild {
  child: ChildProcess;
  /** From spawn() to the 'spawn' event: the OS created the process. */
  spawnMs: number;
}

/** Runs a Node script of this project in a child process. */
export function nodeScript(script: string, ...args: string[]): string[] {
  return [process.execPath, script, ...args];
}

/** Prefixes a command with taskset when the servers are pinned to given CPUs. */
export function pinnedTo(cpus: string | undefined, command: string[]): string[] {
  return cpus ? ['taskset', '-c', cpus, ...command] : command;
}

/**
 * Starts `command` (argv) carrying the run marker; resolves once the OS created it. The marker
 * goes into the environment always, and onto the command line unless `markerInArgs` is false
 * (for programs such as `wasmtime serve` that refuse arguments they do not know).
 */
export async function startChild(
  runId: string,
  command: string[],
  env: Record<string, string | undefined>,
  markerInArgs = true,
  stdin: 'ignore' | 'pipe' = 'ignore',
): Promise<StartedChild> {
  const started = performance.now();
  const [file, ...args] = command;
  // A variable given as undefined is removed from the child's environment.
  const childEnv = Object.fromEntries(Object.entries({ ...process.env, ...env, ...markerEnv(runId) }).filter(([, v]) => v !== undefined));
  const child = spawn(file!, markerInArgs ? [...args, ...markerArgs(runId)] : args, {
    env: childEnv,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  const spawnMs = performance.now() - started;
  // Keep the last output for error messages without letting pipes fill up.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  Object.defineProperty(child, 'outputTail', { get: () => tail });
  return { child, spawnMs };
}

export function outputTail(child: ChildProcess): string {
  return ((child as unknown as { outputTail?: string }).outputTail ?? '').trim();
}

/** "exited with code 1: <its last lines>", once the child has exited and its output is read. */
export function childExit(child: ChildProcess, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const describe = () => {
      const how = child.signalCode ? `was killed by ${child.signalCode}` : `exited with code ${child.exitCode}`;
      const last = lastLines(outputTail(child));
      return last ? `${how}: ${last}` : how;
    };
    // 'close', not 'exit': the output that explains the exit may still be in the pipes at 'exit'.
    if (child.exitCode !== null || child.signalCode !== null) {
      if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) return resolve(describe());
    }
    const onClose = () => resolve(describe());
    child.once('close', onClose);
    signal.addEventListener('abort', () => child.off('close', onClose), { once: true });
  });
}

/** The last few lines of a program's output, on one line. */
export function lastLines(text: string, count = 5): string {
  return text
    .trim()
    .split('\n')
    .slice(-count)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' | ');
}

export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves when the child prints `text` on stdout or stderr; rejects, with its last output, if it exits first. */
export function waitForOutput(child: ChildProcess, text: string, what = 'the process'): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(text)) {
        done();
        resolve();
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`${what} exited (${signal ?? code}) before it was ready: ${lastLines(outputTail(child), 3)}`));
    };
    const done = () => {
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
