// The infer workload in JS: infer-c's twin, answer for answer (the model, the images and the answer
// are described in workloads/infer-c/handler.c). Integer arithmetic only: every product and sum
// stays far below 2^53, so numbers are exact. The model is made when the module loads (inside a
// component, at build time: componentize-js snapshots it).
const INPUTS = 784;
const HIDDEN = 128;
const CLASSES = 10;
const BATCH = 16;

function xorshift(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const next = xorshift(0x12345678);
const w1 = Int8Array.from({ length: HIDDEN * INPUTS }, () => (next() >>> 24) - 128);
const b1 = Int32Array.from({ length: HIDDEN }, () => ((next() >>> 16) & 0xffff) - 32768);
const w2 = Int8Array.from({ length: CLASSES * HIDDEN }, () => (next() >>> 24) - 128);
const b2 = Int32Array.from({ length: CLASSES }, () => ((next() >>> 16) & 0xffff) - 32768);

function querySeed(query) {
  for (const part of query.split('&')) {
    if (part.startsWith('seed=')) return /^seed=\d{1,9}$/.test(part) ? Number(part.slice(5)) : 1;
  }
  return 1;
}

export function handle(request) {
  const pixel = xorshift(querySeed(request.query) ^ 0x9e3779b9);
  const pixels = new Uint8Array(INPUTS);
  const hidden = new Uint8Array(HIDDEN);
  let body = '';
  for (let image = 0; image < BATCH; image++) {
    for (let i = 0; i < INPUTS; i++) pixels[i] = pixel() >>> 24;
    for (let j = 0; j < HIDDEN; j++) {
      let acc = b1[j];
      const row = j * INPUTS;
      for (let i = 0; i < INPUTS; i++) acc += w1[row + i] * pixels[i];
      hidden[j] = acc < 0 ? 0 : acc >= 255 << 12 ? 255 : acc >> 12;
    }
    const scores = [];
    let best = 0;
    for (let k = 0; k < CLASSES; k++) {
      let acc = b2[k];
      for (let j = 0; j < HIDDEN; j++) acc += w2[k * HIDDEN + j] * hidden[j];
      scores.push(acc);
      if (acc > scores[best]) best = k;
    }
    body += `${best} ${scores.join(' ')}\n`;
  }
  return { status: 200, headers: { 'content-type': 'text/plain' }, body };
}
