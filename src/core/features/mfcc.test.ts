import { describe, expect, it } from 'vitest';
import { dctBasis, mfcc } from './mfcc.ts';

describe('mfcc (orthonormal DCT-II of each log-mel frame)', () => {
  it('has orthonormal basis rows', () => {
    const basis = dctBasis(20, 128);
    for (const [a, b] of [[0, 0], [3, 3], [0, 5], [7, 19]]) {
      let dot = 0;
      for (let i = 0; i < 128; i++) dot += basis[a * 128 + i] * basis[b * 128 + i];
      expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
    }
  });

  it('maps a flat frame of c dB to c·sqrt(128) in coefficient 0 and 0 elsewhere', () => {
    const nFrames = 2;
    const out = mfcc(new Float32Array(nFrames * 128).fill(-20), nFrames, 128, 20);
    expect(out[0]).toBeCloseTo(-20 * Math.sqrt(128), 4);
    expect(out[1]).toBeCloseTo(-20 * Math.sqrt(128), 4);
    for (let k = 1; k < 20; k++) expect(out[k * nFrames]).toBeCloseTo(0, 4);
  });

  it('maps a cosine across the mel bands to the matching coefficient', () => {
    const frame = Float32Array.from({ length: 128 }, (_, i) => Math.cos((Math.PI * 3 * (2 * i + 1)) / 256));
    const out = mfcc(frame, 1, 128, 20);
    expect(out[3]).toBeCloseTo(Math.sqrt(64), 4);
    expect(out[2]).toBeCloseTo(0, 4);
  });
});

describe('mfcc folding', () => {
  it('equals the plain DCT-II matrix product for even and odd band counts', () => {
    for (const nMels of [128, 7]) {
      const nFrames = 3;
      const melDb = Float32Array.from({ length: nFrames * nMels }, (_, i) => Math.fround(Math.sin(i * 1.7) * 40 - 30));
      const out = mfcc(melDb, nFrames, nMels, 5);
      const basis = dctBasis(5, nMels);
      for (let t = 0; t < nFrames; t++) {
        for (let k = 0; k < 5; k++) {
          let direct = 0;
          for (let m = 0; m < nMels; m++) direct += basis[k * nMels + m] * melDb[t * nMels + m];
          expect(out[k * nFrames + t]).toBeCloseTo(direct, 3);
        }
      }
    }
  });
});
