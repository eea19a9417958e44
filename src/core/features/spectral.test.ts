import { describe, expect, it } from 'vitest';
import { fftFrequencies } from './mel.ts';
import { spectralBandwidth, spectralCentroid, spectralRolloff } from './spectral.ts';
import { magnitudeSpectrogram, stft } from './stft.ts';

const SR = 22050;
const N_FFT = 2048;
const BIN = 100;
const DF = SR / N_FFT;

/** A sine exactly on bin 100: under the periodic Hann window its magnitude is 1/4, 1/2, 1/4 on bins 99, 100, 101. */
function binCentredSine(): { mag: Float32Array; nFrames: number; nBins: number } {
  const y = Float32Array.from({ length: SR }, (_, t) => Math.sin((2 * Math.PI * BIN * t) / N_FFT));
  const s = stft(y);
  return { mag: magnitudeSpectrogram(s), nFrames: s.nFrames, nBins: s.nBins };
}

describe('spectral shape of a bin-centred sine', () => {
  const { mag, nFrames, nBins } = binCentredSine();
  const freqs = fftFrequencies(SR, N_FFT);
  const interior = [5, 10, nFrames - 6];

  it('centroid = the sine frequency', () => {
    const c = spectralCentroid(mag, nFrames, nBins, freqs);
    for (const t of interior) expect(c[t]).toBeCloseTo(BIN * DF, 2);
  });

  it('bandwidth = bin spacing / sqrt(2) for magnitudes 1/4, 1/2, 1/4 at -1, 0, +1 bins', () => {
    // An exact three-bin spectrum (a real sine's float32 noise floor, weighted by (f - centroid)², would blur this).
    const three = new Float32Array(nBins);
    three[BIN - 1] = 0.25;
    three[BIN] = 0.5;
    three[BIN + 1] = 0.25;
    const c = spectralCentroid(three, 1, nBins, freqs);
    expect(c[0]).toBeCloseTo(BIN * DF, 9);
    expect(spectralBandwidth(three, 1, nBins, freqs, c)[0]).toBeCloseTo(DF / Math.SQRT2, 9);
  });

  it('rolloff (85%) = the bin above the sine (cumulative 1/4, 3/4, 1)', () => {
    const r = spectralRolloff(mag, nFrames, nBins, freqs);
    for (const t of interior) expect(r[t]).toBe(freqs[BIN + 1]);
  });

  it('gives 0 (not NaN) for silent frames', () => {
    const silent = new Float32Array(3 * nBins);
    const c = spectralCentroid(silent, 3, nBins, freqs);
    expect(Array.from(c)).toEqual([0, 0, 0]);
    expect(Array.from(spectralBandwidth(silent, 3, nBins, freqs, c))).toEqual([0, 0, 0]);
    expect(Array.from(spectralRolloff(silent, 3, nBins, freqs))).toEqual([0, 0, 0]);
  });
});
