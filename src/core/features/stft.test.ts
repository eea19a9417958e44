import { describe, expect, it } from 'vitest';
import { hannWindow, istft, powerSpectrogram, reflectIndex, stft, stftFrameCount, windowSumSquare } from './stft.ts';

describe('stft', () => {
  it('yields librosa frame counts (centre padding: 1 + floor(n / hop))', () => {
    expect(stftFrameCount(661794, 2048, 512, true)).toBe(1293);
    expect(stftFrameCount(66150, 2048, 512, true)).toBe(130);
    expect(stftFrameCount(4096, 2048, 512, false)).toBe(5);
    expect(stft(new Float32Array(5000)).nFrames).toBe(10);
  });

  it('uses the periodic Hann window', () => {
    const w = hannWindow(4);
    [0, 0.5, 1, 0.5].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 15));
  });

  it('pads by reflection without repeating the edge sample (numpy "reflect")', () => {
    // [a b c d] reflected: ... c b | a b c d | c b a ...
    expect([-2, -1, 0, 3, 4, 5].map((i) => reflectIndex(i, 4))).toEqual([2, 1, 0, 3, 2, 1]);
  });

  it('concentrates a bin-centred sine in its bin; power = (A N / 4)^2 under the Hann window', () => {
    const n = 8192;
    const bin = 100;
    const y = Float32Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * bin * t) / 2048));
    const s = stft(y);
    const p = powerSpectrogram(s);
    const t = 5;
    let argmax = 0;
    for (let b = 0; b < s.nBins; b++) if (p[t * s.nBins + b] > p[t * s.nBins + argmax]) argmax = b;
    expect(argmax).toBe(bin);
    expect(p[t * s.nBins + bin]).toBeCloseTo((2048 / 4) ** 2, -1);
    // The Hann window leaks half the amplitude into each neighbour.
    expect(p[t * s.nBins + bin + 1] / p[t * s.nBins + bin]).toBeCloseTo(0.25, 4);
    expect(p[t * s.nBins + bin + 2] / p[t * s.nBins + bin]).toBeLessThan(1e-8);
  });

  it('inverts exactly back to the requested length (istft)', () => {
    let seed = 7;
    const y = Float32Array.from({ length: 12345 }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    });
    for (const length of [12345, 12000, 13000]) {
      const back = istft(stft(y), length);
      expect(back.length).toBe(length);
      for (let i = 0; i < Math.min(length, y.length); i += 97) expect(back[i]).toBeCloseTo(y[i], 5);
    }
  });

  it('sums the squared window like librosa.filters.window_sumsquare (float32, frame by frame)', () => {
    for (const [nFft, hop, nFrames] of [[2048, 512, 20], [2048, 600, 13], [16, 4, 1], [16, 20, 3], [64, 16, 5]]) {
      const w = hannWindow(nFft);
      const naive = new Float32Array(nFft + hop * (nFrames - 1));
      for (let t = 0; t < nFrames; t++) for (let i = 0; i < nFft; i++) naive[t * hop + i] += w[i] * w[i];
      expect(Array.from(windowSumSquare(w, nFrames, hop))).toEqual(Array.from(naive));
    }
  });
});
