// The front's stages linked into one native process (the floor: no isolation, no hop): the check
// stage's C compiled natively into a Node addon, the shape stage imported as a module.
import { createRequire } from 'node:module';
import { shape as shapeOrder } from './shape.js';

const addon = createRequire(import.meta.url)('./check.node');

export function check(line) {
  return addon.run(line);
}

export function shape(checked) {
  return shapeOrder(checked);
}
