import { describe, expect, it } from 'vitest';
import { harmonicMask, harmonicPercussive } from './hpss.ts';
import { istft, stft } from './stft.ts';

const SR = 22050;

function energy(x: Float32Array, from = 0, to = x.length): number {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return e;
}

describe('harmonicMask (librosa softmask, power 2, split_zeros)', () => {
  it('is H^2 / (H^2 + P^2), and 0.5 where both medians are zero', () => {
    expect(harmonicMask(3, 4)).toBeCloseTo(9 / 25, 15);
    expect(harmonicMask(4, 3)).toBeCloseTo(16 / 25, 15);
    expect(harmonicMask(1, 0)).toBe(1);
    expect(harmonicMask(0, 1)).toBe(0);
    expect(harmonicMask(0, 0)).toBe(0.5);
    // Scale-free: tiny but non-zero medians still give the ratio.
    expect(harmonicMask(3e-30, 4e-30)).toBeCloseTo(9 / 25, 12);
  });
});

describe('harmonicPercussive', () => {
  it('sends a steady sine to the harmonic part', () => {
    const y = Float32Array.from({ length: 3 * SR }, (_, t) => 0.5 * Math.sin((2 * Math.PI * 440 * t) / SR));
    const { harmonic, percussive } = harmonicPercussive(stft(y), y.length, { samples: y });
    const share = energy(harmonic) / (energy(harmonic) + energy(percussive));
    expect(share).toBeGreaterThan(0.99);
  });

  it('sends a click train to the percussive part', () => {
    const y = new Float32Array(3 * SR);
    for (let t = 0; t < y.length; t += 5000) y[t] = 1;
    const { harmonic, percussive } = harmonicPercussive(stft(y), y.length, { samples: y });
    const share = energy(percussive) / (energy(harmonic) + energy(percussive));
    expect(share).toBeGreaterThan(0.999);
  });

  it('splits the signal: harmonic + percussive = y up to hop (nFrames - 1), zero after (librosa 0.7 fix_length)', () => {
    const n = 2 * SR + 123;
    let seed = 7;
    const y = Float32Array.from({ length: n }, (_, t) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return 0.3 * Math.sin(t * 0.05) + 0.2 * (seed / 2147483648 - 0.5);
    });
    const s = stft(y);
    const inverted = s.hop * (s.nFrames - 1);
    expect(inverted).toBeLessThan(n);
    const { harmonic, percussive } = harmonicPercussive(s, n, { samples: y });
    let worst = 0;
    for (let i = 0; i < inverted; i++) worst = Math.max(worst, Math.abs(harmonic[i] + percussive[i] - y[i]));
    expect(worst).toBeLessThan(1e-6);
    expect(energy(harmonic, inverted)).toBe(0);
    expect(energy(percussive, inverted)).toBe(0);
    // Both parts carry part of this mixture.
    expect(energy(harmonic)).toBeGreaterThan(0.1 * energy(y));
    expect(energy(percussive)).toBeGreaterThan(0.01 * energy(y));
  });

  it('gives the same split whether the percussive part comes from the signal or from istft(S) (linearity)', () => {
    const n = SR;
    const y = Float32Array.from({ length: n }, (_, t) => Math.sin(t * 0.031) * (t % 4000 < 50 ? 1 : 0.2));
    const s = stft(y);
    const fromSignal = harmonicPercussive(s, n, { samples: y });
    const fromIstft = harmonicPercussive(s, n);
    expect(Array.from(fromIstft.harmonic)).toEqual(Array.from(fromSignal.harmonic));
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(fromIstft.percussive[i] - fromSignal.percussive[i]));
    expect(worst).toBeLessThan(1e-6);
    // and istft(S) is the signal itself where it is inverted
    const recon = istft(s, n);
    for (let i = 0; i < s.hop * (s.nFrames - 1); i += 997) expect(recon[i]).toBeCloseTo(y[i], 6);
  });

  it('keeps a silent signal silent (both masks 0.5 on zero medians)', () => {
    const y = new Float32Array(SR);
    const { harmonic, percussive } = harmonicPercussive(stft(y), y.length, { samples: y });
    expect(energy(harmonic)).toBe(0);
    expect(energy(percussive)).toBe(0);
  });
});
