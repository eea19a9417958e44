import { describe, expect, it } from 'vitest';
import { chromaFilterBank, chromaStft, estimateTuning } from './chroma.ts';
import { powerSpectrogram, stft } from './stft.ts';

const SR = 22050;

function sinePower(hz: number) {
  const y = Float32Array.from({ length: 2 * SR }, (_, t) => 0.5 * Math.sin((2 * Math.PI * hz * t) / SR));
  const s = stft(y);
  return { power: powerSpectrogram(s), nFrames: s.nFrames, nBins: s.nBins };
}

describe('estimateTuning', () => {
  it('finds an in-tune A440 near 0 (parabolic interpolation on power is biased by a few cents)', () => {
    const { power, nFrames, nBins } = sinePower(440);
    expect(Math.abs(estimateTuning(power, nFrames, nBins, SR, 2048))).toBeLessThanOrEqual(0.03);
  });

  it('finds a quarter-tone-sharp A (+25 cents) near +0.25 bins', () => {
    const { power, nFrames, nBins } = sinePower(440 * 2 ** (0.25 / 12));
    expect(estimateTuning(power, nFrames, nBins, SR, 2048)).toBeCloseTo(0.25, 1);
  });

  it('is 0 for silence (no peaks)', () => {
    expect(estimateTuning(new Float32Array(10 * 1025), 10, 1025, SR, 2048)).toBe(0);
  });
});

describe('chromaStft', () => {
  it('peaks at A (index 9, rows start at C) for an A440 sine, with max 1 per frame', () => {
    const { power, nFrames, nBins } = sinePower(440);
    const chroma = chromaStft(power, nFrames, nBins, chromaFilterBank(SR, 2048, 0));
    for (const t of [5, 20, 30]) {
      const frame = Array.from({ length: 12 }, (_, c) => chroma[c * nFrames + t]);
      expect(frame.indexOf(Math.max(...frame))).toBe(9);
      expect(Math.max(...frame)).toBe(1);
    }
  });

  it('peaks at C for a C5 sine (523.25 Hz)', () => {
    const { power, nFrames, nBins } = sinePower(523.2511);
    const chroma = chromaStft(power, nFrames, nBins, chromaFilterBank(SR, 2048, 0));
    const frame = Array.from({ length: 12 }, (_, c) => chroma[c * nFrames + 10]);
    expect(frame.indexOf(Math.max(...frame))).toBe(0);
  });

  it('leaves silent frames at 0 instead of dividing by 0', () => {
    const chroma = chromaStft(new Float32Array(3 * 1025), 3, 1025, chromaFilterBank(SR, 2048, 0));
    expect(Array.from(chroma).every((v) => v === 0)).toBe(true);
  });
});
