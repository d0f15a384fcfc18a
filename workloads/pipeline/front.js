// The pipeline's front stage (JS): parses an order, routes it, calls the check stage (C) and the
// shape stage (JS) through `./stages.js`, and answers. The same source runs in every deployment;
// only stages.js differs: typed calls to the composed stages (stages-component.js), HTTP requests
// to the stage services (stages-http.js), or plain calls in one process (stages-linked.js).
import { check, shape } from './stages.js';

const JSON_TYPE = { 'content-type': 'application/json' };

function answer(status, value) {
  return { status, headers: JSON_TYPE, body: `${JSON.stringify(value)}\n` };
}

function stageFailed(stage, error) {
  console.error(`pipeline: stage ${stage} failed: ${error?.message ?? error}`);
  return answer(502, { error: `stage ${stage} failed` });
}

export async function handle(request) {
  if (request.path === '/health') return answer(200, { status: 'ok' });
  if (request.path !== '/order' || request.method !== 'POST') return answer(404, { error: 'not found' });
  let order;
  try {
    order = JSON.parse(request.body);
  } catch {
    return answer(400, { error: 'body must be JSON' });
  }
  if (order === null || typeof order !== 'object') return answer(400, { error: 'body must be a JSON object' });
  const line = `sku=${order.sku};qty=${order.qty};price=${order.priceCents}`;
  // The one-stage pipeline: the same parsing and routing, no call to another stage (the baseline of a hop's cost).
  if (request.query === 'stages=front') return answer(200, { line, stages: ['front'] });
  let checked;
  try {
    checked = await check(line);
  } catch (error) {
    return stageFailed('check', error);
  }
  if (!checked.ok) return answer(422, { error: checked.error });
  let shaped;
  try {
    shaped = await shape(checked.value);
  } catch (error) {
    return stageFailed('shape', error);
  }
  return { status: 200, headers: JSON_TYPE, body: `${shaped}\n` };
}
