import { describe, expect, it } from 'vitest';
import {
  extractFeatures,
  extractGtzanFeatures,
  extractSegmentFeatures,
  FAST_FEATURE_NAMES,
  FEATURES,
  GTZAN_FEATURE_NAMES,
  logMelPatches,
  segmentBounds,
  segmentFeaturesAndPatches,
} from './gtzan.ts';

const SR = 22050;

function noise(length: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 0.2 * (s / 2147483648 - 0.5);
  });
}

describe('GTZAN feature set', () => {
  it('names the 57 table columns in order, and a registry function for each', () => {
    expect(GTZAN_FEATURE_NAMES.length).toBe(57);
    expect(GTZAN_FEATURE_NAMES.slice(0, 3)).toEqual(['chroma_stft_mean', 'chroma_stft_var', 'rms_mean']);
    expect(GTZAN_FEATURE_NAMES[16]).toBe('tempo');
    expect(GTZAN_FEATURE_NAMES[56]).toBe('mfcc20_var');
    for (const name of GTZAN_FEATURE_NAMES) expect(typeof FEATURES[name]).toBe('function');
    expect(FAST_FEATURE_NAMES.length).toBe(53);
    expect(FAST_FEATURE_NAMES.some((n) => n.startsWith('harmony') || n.startsWith('perceptr'))).toBe(false);
  });

  it('computes the fast set as the same numbers as the full set', () => {
    const y = noise(3 * SR);
    const full = extractGtzanFeatures(y, SR);
    const fast = extractFeatures(y, SR, FAST_FEATURE_NAMES);
    FAST_FEATURE_NAMES.forEach((name, i) => expect(fast[i]).toBe(full[GTZAN_FEATURE_NAMES.indexOf(name)]));
  });

  it('returns finite numbers for silence, a single sample and NaN-damaged input', () => {
    for (const y of [new Float32Array(SR), Float32Array.of(0.5), Float32Array.from(noise(SR), (v, i) => (i % 100 ? v : NaN))]) {
      expect(extractGtzanFeatures(y, SR).every(Number.isFinite)).toBe(true);
    }
  });

  it('rejects an empty clip and unknown feature names', () => {
    expect(() => extractGtzanFeatures(new Float32Array(0), SR)).toThrow(RangeError);
    expect(() => extractFeatures(noise(SR), SR, ['nope'])).toThrow(/unknown feature/);
  });
});

describe('segments', () => {
  it('splits a GTZAN clip into 10 non-overlapping 3 s segments and drops the short tail', () => {
    const bounds = segmentBounds(661794, SR, 3);
    expect(bounds.length).toBe(10);
    expect(bounds[0]).toEqual([0, 66150]);
    expect(bounds[9]).toEqual([9 * 66150, 10 * 66150]);
  });

  it('keeps a clip shorter than one segment as the only segment', () => {
    expect(segmentBounds(30000, SR, 3)).toEqual([[0, 30000]]);
    expect(segmentBounds(0, SR, 3)).toEqual([]);
  });

  it('computes each segment as a clip of its own', () => {
    const y = noise(7 * SR);
    const segments = extractSegmentFeatures(y, SR, 3, FAST_FEATURE_NAMES);
    expect(segments.length).toBe(2);
    expect(Array.from(segments[1])).toEqual(Array.from(extractFeatures(y.subarray(3 * SR, 6 * SR), SR, FAST_FEATURE_NAMES)));
  });
});

describe('logMelPatches', () => {
  it('yields one 130 x 128 dB patch per 3 s, within 80 dB of each patch maximum', () => {
    const { patches, nMels, nFrames } = logMelPatches(noise(7 * SR), SR);
    expect(nMels).toBe(128);
    expect(nFrames).toBe(130);
    expect(patches.length).toBe(2);
    for (const p of patches) {
      expect(p.length).toBe(130 * 128);
      const max = Math.max(...p);
      expect(Math.min(...p)).toBeGreaterThanOrEqual(Math.fround(max - 80));
    }
  });

  it('zero-pads a clip shorter than one patch to the full patch shape', () => {
    const { patches, nFrames } = logMelPatches(noise(SR), SR);
    expect(patches.length).toBe(1);
    expect(patches[0].length).toBe(nFrames * 128);
  });
});

describe('segmentFeaturesAndPatches', () => {
  it('gives exactly what extractSegmentFeatures and logMelPatches give separately', () => {
    const y = noise(Math.round(7.5 * SR), 5);
    const both = segmentFeaturesAndPatches(y, SR, 3, FAST_FEATURE_NAMES);
    expect(both.segments).toEqual(extractSegmentFeatures(y, SR, 3, FAST_FEATURE_NAMES));
    expect(both.logMel).toEqual(logMelPatches(y, SR, { patchSeconds: 3 }));
    expect(both.logMel.patches.length).toBe(2);
  });

  it('keeps the separate results for a clip shorter than one segment (features unpadded, patch padded)', () => {
    const y = noise(2 * SR, 6);
    const both = segmentFeaturesAndPatches(y, SR, 3, FAST_FEATURE_NAMES);
    expect(both.segments).toEqual(extractSegmentFeatures(y, SR, 3, FAST_FEATURE_NAMES));
    expect(both.logMel).toEqual(logMelPatches(y, SR, { patchSeconds: 3 }));
  });
});
