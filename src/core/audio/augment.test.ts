import { describe, expect, it } from 'vitest';
import { createRng } from '../data/random.ts';
import { peakFrequency } from './measure.ts';
import {
  addNoise,
  applyAugmentation,
  applyGain,
  augmentedCopies,
  defaultAudioAugmentation,
  drawAugmentation,
  pitchShift,
  timeStretch,
} from './augment.ts';
import type { MonoPcm } from './types.ts';

const RATE = 22050;
const sine = (frequency: number, seconds: number, amplitude = 0.5): MonoPcm => ({
  samples: Float32Array.from({ length: Math.round(RATE * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE)),
  sampleRate: RATE,
});

const meanSquare = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0) / x.length;

describe('applyGain', () => {
  it('multiplies every sample by 10^(dB/20)', () => {
    const pcm = { samples: Float32Array.of(0.5, -0.25, 0, 1), sampleRate: RATE };
    expect([...applyGain(pcm, 20).samples]).toEqual([5, -2.5, 0, 10]);
    expect([...applyGain(pcm, -6).samples]).toEqual([...pcm.samples].map((x) => Math.fround(x * 10 ** (-6 / 20))));
    expect([...applyGain(pcm, 0).samples]).toEqual([...pcm.samples]);
  });
});

describe('addNoise', () => {
  for (const snr of [0, 10, 30]) {
    it(`adds white noise at ${snr} dB SNR (measured within 0.5 dB)`, () => {
      const pcm = sine(440, 1);
      const noisy = addNoise(pcm, snr, createRng(1));
      const noise = noisy.samples.map((x, i) => x - pcm.samples[i]);
      const measured = 10 * Math.log10(meanSquare(pcm.samples) / meanSquare(noise));
      expect(Math.abs(measured - snr)).toBeLessThan(0.5);
    });
  }

  it('the noise is white (equal power in the lower and upper halves of the spectrum, within 10%)', () => {
    const pcm = sine(440, 1);
    const noise = addNoise(pcm, 0, createRng(5)).samples.map((x, i) => x - pcm.samples[i]);
    // first difference of white noise doubles its power; a low-passed noise would lose power, a high-passed gain it
    const differenced = noise.subarray(1).map((x, i) => x - noise[i]);
    expect(meanSquare(differenced) / meanSquare(noise)).toBeGreaterThan(1.9);
    expect(meanSquare(differenced) / meanSquare(noise)).toBeLessThan(2.1);
  });

  it('is reproducible from the seed, and differs between seeds', () => {
    const pcm = sine(440, 0.1);
    expect([...addNoise(pcm, 20, createRng(7)).samples]).toEqual([...addNoise(pcm, 20, createRng(7)).samples]);
    expect([...addNoise(pcm, 20, createRng(7)).samples]).not.toEqual([...addNoise(pcm, 20, createRng(8)).samples]);
  });

  it('refuses a silent signal', () => {
    expect(() => addNoise({ samples: new Float32Array(100), sampleRate: RATE }, 20, createRng(1))).toThrow(/silent/);
  });
});

describe('timeStretch', () => {
  for (const rate of [0.8, 1.25]) {
    it(`rate ${rate} changes the length by 1/${rate} (within 1%) and keeps a 440 Hz sine at 440 Hz (within 1%)`, () => {
      const pcm = sine(440, 1);
      const stretched = timeStretch(pcm, rate);
      expect(Math.abs(stretched.samples.length / (pcm.samples.length / rate) - 1)).toBeLessThan(0.01);
      expect(Math.abs(peakFrequency(stretched.samples, RATE, 400, 480) / 440 - 1)).toBeLessThan(0.01);
      // the level is kept too: the overlap-add of aligned frames does not cancel
      expect(Math.abs(meanSquare(stretched.samples) / meanSquare(pcm.samples) - 1)).toBeLessThan(0.05);
    });
  }
});

describe('pitchShift', () => {
  for (const semitones of [2, -3, 0.5]) {
    it(`${semitones} semitones moves a 440 Hz sine to 440 x 2^(${semitones}/12) Hz (within 1%), same length`, () => {
      const pcm = sine(440, 1);
      const shifted = pitchShift(pcm, semitones);
      const expected = 440 * 2 ** (semitones / 12);
      expect(shifted.samples.length).toBe(pcm.samples.length);
      expect(Math.abs(peakFrequency(shifted.samples, RATE, 350, 560) / expected - 1)).toBeLessThan(0.01);
    });
  }
});

describe('random augmentation', () => {
  it('draws parameters in their ranges, reproducibly, and applies them', () => {
    const first = drawAugmentation(createRng(3));
    expect(drawAugmentation(createRng(3))).toEqual(first);
    expect(first.stretchRate).toBeGreaterThanOrEqual(0.9);
    expect(first.stretchRate).toBeLessThanOrEqual(1.1);
    expect(Math.abs(first.semitones)).toBeLessThanOrEqual(2);
    const pcm = sine(440, 1);
    const out = applyAugmentation(pcm, first, createRng(4));
    expect(Math.abs(out.samples.length - pcm.samples.length / first.stretchRate)).toBeLessThanOrEqual(1);
    expect(out.samples.every(Number.isFinite)).toBe(true);
  });
});

describe('augmentedCopies', () => {
  const settings = defaultAudioAugmentation(7, 2);

  it('makes the asked number of copies, each its own draw, the same ones on every call', () => {
    const pcm = sine(330, 0.5);
    const copies = augmentedCopies(pcm, settings);
    expect(copies).toHaveLength(2);
    expect(copies[0].augmentation).not.toEqual(copies[1].augmentation);
    const again = augmentedCopies({ samples: pcm.samples.slice(), sampleRate: RATE }, settings);
    expect(again.map((c) => c.augmentation)).toEqual(copies.map((c) => c.augmentation));
    expect([...again[1].pcm.samples]).toEqual([...copies[1].pcm.samples]);
    copies.forEach(({ augmentation, pcm: copy }) => {
      expect(Math.abs(copy.samples.length - pcm.samples.length / augmentation.stretchRate)).toBeLessThanOrEqual(1);
    });
  });

  it('draws differently for another file and another seed, and copies nothing of silence', () => {
    const draw = (pcm: MonoPcm, seed: number) => augmentedCopies(pcm, { ...settings, seed })[0].augmentation;
    expect(draw(sine(330, 0.5), 7)).not.toEqual(draw(sine(331, 0.5), 7));
    expect(draw(sine(330, 0.5), 7)).not.toEqual(draw(sine(330, 0.5), 8));
    expect(augmentedCopies({ samples: new Float32Array(1000), sampleRate: RATE }, settings)).toEqual([]);
    expect(augmentedCopies(sine(330, 0.1), { ...settings, copies: 0 })).toEqual([]);
  });
});
