import { describe, expect, it } from 'vitest';
import { RealFftPlan } from './fft.ts';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      re[k] += x[t] * Math.cos((-2 * Math.PI * k * t) / n);
      im[k] += x[t] * Math.sin((-2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

describe('RealFftPlan', () => {
  it.each([4, 8, 64, 2048])('matches a direct DFT and inverts exactly (size %i)', (n) => {
    let seed = 12345;
    const x = Float64Array.from({ length: n }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    });
    const plan = new RealFftPlan(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    plan.forward(x, re, im);
    const ref = naiveDft(x);
    for (let k = 0; k <= n / 2; k++) {
      expect(re[k]).toBeCloseTo(ref.re[k], 9);
      expect(im[k]).toBeCloseTo(ref.im[k], 9);
    }
    const back = new Float64Array(n);
    plan.inverse(re, im, back);
    for (let t = 0; t < n; t++) expect(back[t]).toBeCloseTo(x[t], 12);
  });

  it('puts a cosine at bin k with amplitude N/2', () => {
    const n = 256;
    const x = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 10 * t) / n));
    const plan = new RealFftPlan(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    plan.forward(x, re, im);
    expect(re[10]).toBeCloseTo(n / 2, 9);
    expect(re[9]).toBeCloseTo(0, 9);
    expect(im[10]).toBeCloseTo(0, 9);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFftPlan(1000)).toThrow(RangeError);
  });
});
