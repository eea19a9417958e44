import { describe, expect, it } from 'vitest';
import { medianFilter1d, reflectIndex } from './median.ts';

/** Deterministic pseudo-random floats (mulberry32), rounded to float32 and with repeats to exercise ties. */
function randomData(n: number, seed: number, levels = 0): Float32Array {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = levels > 0 ? Math.floor(next() * levels) : next() * 2 - 1;
  return out;
}

/** Straightforward reference: gather each window with reflect edges, sort, take the middle. */
function bruteForce(src: Float32Array, lines: number, length: number, lineStride: number, sampleStride: number, size: number): Float32Array {
  const out = new Float32Array(src.length);
  const half = (size - 1) / 2;
  for (let l = 0; l < lines; l++) {
    for (let j = 0; j < length; j++) {
      const w: number[] = [];
      for (let d = -half; d <= half; d++) w.push(src[l * lineStride + reflectIndex(j + d, length) * sampleStride]);
      w.sort((a, b) => a - b);
      out[l * lineStride + j * sampleStride] = w[half];
    }
  }
  return out;
}

describe('reflectIndex', () => {
  it('is scipy.ndimage reflect (half-sample symmetric, edge repeated)', () => {
    const n = 4;
    const got = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => reflectIndex(i, n));
    expect(got).toEqual([3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1]);
  });
});

describe('medianFilter1d', () => {
  it('matches a brute-force median along contiguous lines (size 31), bit-exact', () => {
    const lines = 7;
    const length = 200;
    const src = randomData(lines * length, 1);
    const out = new Float32Array(src.length);
    medianFilter1d(src, out, { lines, length, lineStride: length, sampleStride: 1 }, 31);
    expect(Array.from(out)).toEqual(Array.from(bruteForce(src, lines, length, length, 1, 31)));
  });

  it('matches a brute-force median along strided lines with many ties (size 31), bit-exact', () => {
    const frames = 150;
    const bins = 9;
    const src = randomData(frames * bins, 2, 5);
    const out = new Float32Array(src.length);
    // Along time of a frame-major array: one line per bin, stepping by a whole frame.
    medianFilter1d(src, out, { lines: bins, length: frames, lineStride: 1, sampleStride: bins }, 31);
    expect(Array.from(out)).toEqual(Array.from(bruteForce(src, bins, frames, 1, bins, 31)));
  });

  it('handles lines shorter than the window like scipy (reflect repeats with period 2n)', () => {
    const src = Float32Array.from([3, 1, 4, 1, 5]);
    const out7 = new Float32Array(5);
    medianFilter1d(src, out7, { lines: 1, length: 5, lineStride: 5, sampleStride: 1 }, 7);
    // scipy.ndimage.median_filter([[3,1,4,1,5]], size=(1,7), mode='reflect') -> [3,3,3,3,4]
    expect(Array.from(out7)).toEqual([3, 3, 3, 3, 4]);
    const out31 = new Float32Array(5);
    medianFilter1d(src, out31, { lines: 1, length: 5, lineStride: 5, sampleStride: 1 }, 31);
    expect(Array.from(out31)).toEqual([3, 3, 3, 3, 3]);
    expect(Array.from(bruteForce(src, 1, 5, 5, 1, 7))).toEqual([3, 3, 3, 3, 4]);
  });

  it('reflects at the edges: a step at the start keeps the edge value over the first half window', () => {
    const src = new Float32Array(40);
    for (let i = 0; i < 4; i++) src[i] = 10;
    const out = new Float32Array(40);
    medianFilter1d(src, out, { lines: 1, length: 40, lineStride: 40, sampleStride: 1 }, 7);
    // Window at 0: reflect gives 10 10 10 | 10 10 10 10 -> 10; at 3: 10 10 10 10 0 0 0 -> 10; at 4: 0.
    expect(Array.from(out.subarray(0, 6))).toEqual([10, 10, 10, 10, 0, 0]);
  });

  it('rejects even sizes', () => {
    expect(() => medianFilter1d(new Float32Array(4), new Float32Array(4), { lines: 1, length: 4, lineStride: 4, sampleStride: 1 }, 4)).toThrow(RangeError);
  });
});
