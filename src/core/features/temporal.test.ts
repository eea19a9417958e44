import { describe, expect, it } from 'vitest';
import { rms, zeroCrossingRate } from './temporal.ts';

describe('zeroCrossingRate', () => {
  // Square wave of period 64: +1 for 32 samples, then -1 for 32; frames start on multiples of 32.
  const y = Float32Array.from({ length: 22050 }, (_, t) => (Math.floor(t / 32) % 2 === 0 ? 1 : -1));
  const zcr = zeroCrossingRate(y);

  it('counts sign changes between neighbours inside each 2048-sample frame', () => {
    expect(zcr.length).toBe(1 + Math.floor(22050 / 512));
    // 2047 neighbour pairs in a frame hold 63 of the changes every 32 samples.
    for (const t of [2, 10, 30]) expect(zcr[t]).toBe(63 / 2048);
  });

  it('pads the edges by repeating the edge sample (librosa pads zcr with mode="edge")', () => {
    // Frame 0: 1024 copies of y[0] = +1, then y[0..1023] with changes at 32, 64, …, 992.
    expect(zcr[0]).toBe(31 / 2048);
  });

  it('treats |y| <= 1e-10 as zero and zero as positive', () => {
    const tiny = Float32Array.from({ length: 4096 }, (_, t) => (t % 2 === 0 ? 1e-12 : -1e-12));
    expect(Array.from(zeroCrossingRate(tiny)).every((v) => v === 0)).toBe(true);
  });
});

describe('rms', () => {
  it('of a constant is its magnitude in every frame (reflect padding of a constant is constant)', () => {
    const c = Math.fround(-0.25);
    const r = rms(new Float32Array(10000).fill(c));
    expect(r.length).toBe(1 + Math.floor(10000 / 512));
    for (const v of r) expect(v).toBeCloseTo(0.25, 12);
  });

  it('of a sine spanning whole periods per frame is amplitude / sqrt(2)', () => {
    const y = Float32Array.from({ length: 22050 }, (_, t) => 0.5 * Math.sin((2 * Math.PI * t) / 64));
    const r = rms(y);
    for (const t of [3, 20, 40]) expect(r[t]).toBeCloseTo(0.5 / Math.SQRT2, 6);
  });
});
