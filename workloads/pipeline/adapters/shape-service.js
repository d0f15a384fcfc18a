// The shape stage as an HTTP service (handler.js for node-server.js): POST /shape.
import { shape } from './shape.js';

export function handle(request) {
  if (request.path !== '/shape' || request.method !== 'POST') return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found\n' };
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: shape(request.body) };
}
