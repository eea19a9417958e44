import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2dTrainable } from './cnnConv.ts';

let previous = '';
beforeAll(async () => {
  previous = tf.getBackend();
  // The cpu backend has tfjs's own Conv2D gradients, the reference for muzo's.
  await tf.setBackend('cpu');
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

/** Gradients of sum(conv(x, k) * r) with respect to x and k. */
function gradients(conv: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor4D, x: tf.Tensor4D, k: tf.Tensor4D, r: tf.Tensor4D) {
  return tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a as tf.Tensor4D, b as tf.Tensor4D).mul(r).sum())([x, k]);
}

describe('conv2dTrainable', () => {
  it('computes what tf.conv2d computes, with the same input and filter gradients', async () => {
    for (const [h, w, cin, cout, size] of [
      [5, 6, 3, 4, 3],
      [7, 4, 1, 2, 5],
    ]) {
      const x = tf.randomNormal([2, h, w, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const k = tf.randomNormal([size, size, cin, cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const r = tf.randomNormal([2, h, w, cout], 0, 1, 'float32', 3) as tf.Tensor4D;
      const reference = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, 1, 'same');
      const expectClose = async (actual: tf.Tensor, expected: tf.Tensor) => {
        expect(actual.shape).toEqual(expected.shape);
        const [a, e] = [await actual.data(), await expected.data()];
        e.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 3));
      };
      await expectClose(conv2dTrainable(x, k, true), reference(x, k));
      const [dxRef, dkRef] = gradients(reference, x, k, r);
      const [dx, dk] = gradients((a, b) => conv2dTrainable(a, b, true), x, k, r);
      await expectClose(dx, dxRef);
      await expectClose(dk, dkRef);
      // Without the input gradient (a first layer): the same filter gradient, and no input gradient.
      const [dxNone, dkOnly] = gradients((a, b) => conv2dTrainable(a, b, false), x, k, r);
      await expectClose(dkOnly, dkRef);
      expect(Math.max(...(await dxNone.abs().data()))).toBe(0);
    }
  });

  it('refuses even kernel sizes (the flipped-kernel identity needs symmetric padding)', () => {
    expect(() => conv2dTrainable(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]), true)).toThrow(/odd kernel/);
  });
});
