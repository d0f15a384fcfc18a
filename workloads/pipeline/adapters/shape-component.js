// The shape stage as a component: exports coldbench:pipeline/shape.
import { shape as shapeOrder } from './shape.js';

export const shape = {
  run(checked) {
    return shapeOrder(checked);
  },
};
