// The front's stages as services: one HTTP request per call, to the addresses it was given
// (PIPELINE_CHECK_URL, PIPELINE_SHAPE_URL: loopback ports, or container names on a bridge network).
import { connect } from 'node:net';

const CHECK_URL = `${process.env.PIPELINE_CHECK_URL}/check`;
const SHAPE_URL = `${process.env.PIPELINE_SHAPE_URL}/shape`;
const READY_WAIT_MS = 30_000;

/** Resolves once something accepts connections at the URL's host and port (or after READY_WAIT_MS). */
async function listening(url) {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + READY_WAIT_MS;
  while (Date.now() < deadline) {
    const up = await new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket.destroy() && true));
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// The front starts listening only once its stages do (a readiness dependency, as an orchestrator
// would declare it): its first answer is then a whole pipeline's, in processes and containers alike.
await Promise.all([CHECK_URL, SHAPE_URL].map(listening));

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
  return { status: response.status, text: await response.text() };
}

export async function check(line) {
  const { status, text } = await post(CHECK_URL, line);
  if (status === 200) return { ok: true, value: text };
  if (status === 422) return { ok: false, error: text };
  throw new Error(`check answered ${status}`);
}

export async function shape(checked) {
  const { status, text } = await post(SHAPE_URL, checked);
  if (status !== 200) throw new Error(`shape answered ${status}`);
  return text;
}
