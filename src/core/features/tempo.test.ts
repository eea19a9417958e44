import { describe, expect, it } from 'vitest';
import { melFilterBank, melSpectrogram, powerToDb } from './mel.ts';
import { powerSpectrogram, stft } from './stft.ts';
import { estimateTempo, meanTempogram, onsetStrength, tempoFrequencies, tempoFromOnsets } from './tempo.ts';

const SR = 22050;
const HOP = 512;
const N_MELS = 128;

/** Short decaying bursts every `periodSamples` (fractional periods rounded per click). */
function clickTrain(periodSamples: number, seconds: number): Float32Array {
  const y = new Float32Array(seconds * SR);
  for (let t = 0; Math.round(t) < y.length; t += periodSamples) {
    const start = Math.round(t);
    for (let j = 0; j < 64 && start + j < y.length; j++) y[start + j] = Math.sin(j * 0.9) * Math.exp(-j / 10);
  }
  return y;
}

function tempoOf(y: Float32Array): number {
  const s = stft(y);
  const melDb = powerToDb(melSpectrogram(powerSpectrogram(s), s.nFrames, s.nBins, melFilterBank(SR, 2048, N_MELS)));
  return estimateTempo(melDb, s.nFrames, N_MELS, SR, HOP);
}

describe('tempoFrequencies', () => {
  it('is 60 sr / (hop lag), infinite at lag 0', () => {
    const f = tempoFrequencies(30, SR, HOP);
    expect(f[0]).toBe(Infinity);
    expect(f[21]).toBe(123.046875);
    expect(f[1]).toBe(2583.984375);
  });
});

describe('onsetStrength', () => {
  it('is the median over bands of the positive dB rise, delayed by lag + nFft / (2 hop) = 3 frames', () => {
    const nFrames = 8;
    const nMels = 4;
    const melDb = new Float32Array(nFrames * nMels);
    // Frame 2 rises by [1, 2, 3, 4] dB over frame 1; frame 5 falls by 10 dB in every band.
    for (let t = 0; t < nFrames; t++) {
      for (let m = 0; m < nMels; m++) melDb[t * nMels + m] = -50 + (t >= 2 ? m + 1 : 0) - (t >= 5 ? 10 : 0);
    }
    const median = onsetStrength(melDb, nFrames, nMels, HOP, 'median');
    // The rise between frames 1 and 2 lands at 1 + 3 = 4; median of [1, 2, 3, 4] is 2.5.
    expect(Array.from(median)).toEqual([0, 0, 0, 0, 2.5, 0, 0, 0]);
    const mean = onsetStrength(melDb, nFrames, nMels, HOP, 'mean');
    expect(Array.from(mean)).toEqual([0, 0, 0, 0, 2.5, 0, 0, 0]);
    // A rise in only one band of four: median 0, mean 1/4 of it.
    melDb.fill(0);
    melDb[3 * nMels + 1] = 8;
    expect(Array.from(onsetStrength(melDb, nFrames, nMels, HOP, 'median'))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(onsetStrength(melDb, nFrames, nMels, HOP, 'mean'))).toEqual([0, 0, 0, 0, 0, 2, 0, 0]);
  });

  it('takes the median over zeros and rises like numpy (even count: mean of the middle two)', () => {
    const rises = (values: number[]): number => {
      const melDb = new Float32Array(5 * values.length);
      values.forEach((v, m) => (melDb[values.length + m] = v));
      return onsetStrength(melDb, 5, values.length, HOP, 'median')[3]; // frame 0 -> 1 rise lands at 0 + 3
    };
    expect(rises([0, 6, 0, 2])).toBe(1); // [0 0 2 6] -> (0 + 2) / 2
    expect(rises([5, 0, 3, 1, 0])).toBe(1); // [0 0 1 3 5] -> 1
    expect(rises([5, 0, 3, 1, -4])).toBe(1); // falls count as 0
    expect(rises([4, 8, 2, 6])).toBe(5); // [2 4 6 8] -> (4 + 6) / 2
    expect(rises([0, 0, 7, 0])).toBe(0);
  });
});

describe('meanTempogram', () => {
  it('matches a direct windowed, normalised autocorrelation averaged over frames', () => {
    const n = 50;
    const win = 16;
    const env = Float32Array.from({ length: n }, (_, t) => (t % 7 === 3 ? 1 + (t % 3) : t % 5 === 0 ? 0.5 : 0));
    const got = meanTempogram(env, win);
    // Reference: pad with linear ramps to zero, Hann-window each frame, autocorrelate, divide by the max.
    const pad = win / 2;
    const padded: number[] = [];
    for (let i = 0; i < pad; i++) padded.push((env[0] * i) / pad);
    for (const v of env) padded.push(v);
    for (let i = pad - 1; i >= 0; i--) padded.push((env[n - 1] * i) / pad);
    const w = Array.from({ length: win }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / win));
    const want = new Array<number>(win).fill(0);
    for (let t = 0; t < n; t++) {
      const x = w.map((wi, i) => wi * padded[t + i]);
      const ac = x.map((_, k) => x.slice(0, win - k).reduce((a, v, i) => a + v * x[i + k], 0));
      const peak = Math.max(...ac.map(Math.abs));
      for (let k = 0; k < win; k++) want[k] += peak > 0 ? ac[k] / peak / n : 0;
    }
    for (let k = 0; k < win; k++) expect(got[k]).toBeCloseTo(want[k], 12);
  });
});

describe('estimateTempo (librosa.beat.beat_track tempo)', () => {
  it('finds the exact lag of a click train whose period is a whole number of hops', () => {
    expect(tempoOf(clickTrain(21 * HOP, 30))).toBe(tempoFrequencies(22, SR, HOP)[21]);
    expect(tempoOf(clickTrain(28 * HOP, 30))).toBe(tempoFrequencies(29, SR, HOP)[28]);
    expect(tempoOf(clickTrain(17 * HOP, 30))).toBe(tempoFrequencies(18, SR, HOP)[17]);
  });

  it('gives 90, 120 and 150 BPM click trains the nearest lag tempo (lags are ~5 BPM apart near 120)', () => {
    for (const bpm of [90, 120, 150]) {
      const nearestLag = Math.round((60 * SR) / (HOP * bpm));
      const got = tempoOf(clickTrain((60 * SR) / bpm, 30));
      expect(got).toBe((60 * SR) / (HOP * nearestLag));
      expect(Math.abs(got - bpm)).toBeLessThan(3);
    }
  });

  it('reports 0 for a signal without onsets, as beat_track does', () => {
    expect(tempoOf(new Float32Array(5 * SR))).toBe(0);
  });

  it('excludes tempi at or above max_tempo and applies the prior around start_bpm', () => {
    // An envelope pulsing every 4 frames (646 BPM) and every 8 (323 BPM): both above 320, so the
    // chosen lag is a multiple at or below 320 BPM.
    const env = Float32Array.from({ length: 600 }, (_, t) => (t % 4 === 0 ? 1 : 0));
    const bpm = tempoFromOnsets(env, SR, HOP);
    expect(bpm).toBeLessThan(320);
    expect(Math.round((60 * SR) / (HOP * bpm)) % 4).toBe(0);
    // With the prior centred on 80 BPM the lag nearest 80 BPM among the multiples of 4 wins (lag 32).
    expect(tempoFromOnsets(env, SR, HOP, { startBpm: 80 })).toBe((60 * SR) / (HOP * 32));
  });
});
