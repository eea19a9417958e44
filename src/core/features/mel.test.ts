import { describe, expect, it } from 'vitest';
import { fftFrequencies, hzToMel, melFilterBank, melSpectrogram, melToHz, powerToDb } from './mel.ts';

describe('mel scale (Slaney)', () => {
  it('is linear below 1 kHz and logarithmic above', () => {
    expect(hzToMel(200 / 3)).toBeCloseTo(1, 12);
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(hzToMel(6400)).toBeCloseTo(42, 12);
    for (const hz of [0, 50, 999, 1000, 4321, 11025]) expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 8);
  });
});

describe('melFilterBank', () => {
  const bank = melFilterBank(22050, 2048);
  it('has 128 triangles over 1025 bins, each of unit area in Hz (norm="slaney")', () => {
    expect(bank.nMels).toBe(128);
    expect(bank.nBins).toBe(1025);
    const df = 22050 / 2048;
    // High bands span many bins, so the Riemann sum of a triangle is close to its area of 1.
    for (const m of [60, 100, 127]) {
      let sum = 0;
      for (let b = 0; b < bank.nBins; b++) sum += bank.weights[m * bank.nBins + b];
      expect(sum * df).toBeCloseTo(1, 2);
    }
  });
  it('keeps each triangle inside [start, end)', () => {
    for (let m = 0; m < bank.nMels; m++) {
      for (let b = 0; b < bank.nBins; b++) {
        if (b < bank.start[m] || b >= bank.end[m]) expect(bank.weights[m * bank.nBins + b]).toBe(0);
      }
    }
  });
  it('maps a single bin to the bands whose triangle covers it', () => {
    const freqs = fftFrequencies(22050, 2048);
    const bin = 93; // ~1001 Hz
    const power = new Float32Array(bank.nBins);
    power[bin] = 1;
    const mel = melSpectrogram(power, 1, bank.nBins, bank);
    let nonZero = 0;
    for (let m = 0; m < 128; m++) if (mel[m] > 0) nonZero++;
    expect(nonZero).toBeGreaterThanOrEqual(1);
    expect(nonZero).toBeLessThanOrEqual(2);
    expect(freqs[bin]).toBeCloseTo((93 * 22050) / 2048, 9);
  });
});

describe('powerToDb', () => {
  it('is 10 log10 with amin floor and an 80 dB dynamic range below the maximum', () => {
    const db = powerToDb(Float32Array.from([1, 10, 100, 1e-3, 0]));
    expect(db[0]).toBeCloseTo(0, 6);
    expect(db[1]).toBeCloseTo(10, 5);
    expect(db[2]).toBeCloseTo(20, 5);
    expect(db[3]).toBeCloseTo(-30, 5);
    expect(db[4]).toBeCloseTo(20 - 80, 5);
    const raw = powerToDb(Float32Array.from([1, 0]), { topDb: null });
    expect(raw[1]).toBeCloseTo(-100, 4);
  });
});
