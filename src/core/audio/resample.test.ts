import { describe, expect, it } from 'vitest';
import { peakFrequency, toneAmplitude as amplitudeAt } from './measure.ts';
import { resample, resampledLength } from './resample.ts';

function sine(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));
}

function rms(x: Float32Array): number {
  const from = Math.floor(x.length * 0.1);
  const to = Math.floor(x.length * 0.9);
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / (to - from));
}

const dB = (ratio: number): number => 20 * Math.log10(ratio);

describe('resample to 22050 Hz', () => {
  for (const rate of [44100, 48000, 16000, 8000, 44056]) {
    it(`a 1 kHz sine at ${rate} Hz keeps its frequency within 0.5 Hz and its level within 0.1 dB`, () => {
      const out = resample(sine(1000, rate, 2), rate, 22050);
      expect(out.length).toBe(Math.ceil((2 * rate * 22050) / rate));
      expect(Math.abs(peakFrequency(out, 22050, 997, 1003) - 1000)).toBeLessThan(0.5);
      expect(Math.abs(dB(amplitudeAt(out, 22050, 1000) / 0.5))).toBeLessThan(0.1);
    });
  }

  it('keeps the pass band flat up to 90% of the new Nyquist frequency (9922 Hz) within 0.1 dB', () => {
    for (const frequency of [50, 5000, 9900]) {
      const out = resample(sine(frequency, 44100, 1), 44100, 22050);
      expect(Math.abs(dB(amplitudeAt(out, 22050, frequency) / 0.5))).toBeLessThan(0.1);
    }
  });

  for (const [rate, frequency] of [[44100, 15000], [44100, 11500], [48000, 13000], [32000, 12000], [44056, 20000]]) {
    it(`a ${frequency} Hz tone at ${rate} Hz (above the new Nyquist) is attenuated by at least 60 dB`, () => {
      const out = resample(sine(frequency, rate, 1), rate, 22050);
      expect(dB(rms(out) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    });
  }

  it('upsampling 16 kHz leaves no image: a 7 kHz tone has nothing at 9 kHz (60 dB down)', () => {
    const out = resample(sine(7000, 16000, 1), 16000, 22050);
    expect(Math.abs(dB(amplitudeAt(out, 22050, 7000) / 0.5))).toBeLessThan(0.1);
    expect(dB(amplitudeAt(out, 22050, 9000) / 0.5)).toBeLessThan(-60);
  });

  it('keeps the signal aligned in time (linear phase, delay removed)', () => {
    const impulse = new Float32Array(4410);
    impulse[2000] = 1;
    const out = resample(impulse, 44100, 22050);
    let peakAt = 0;
    for (let i = 0; i < out.length; i++) if (Math.abs(out[i]) > Math.abs(out[peakAt])) peakAt = i;
    expect(peakAt).toBe(1000);
  });
});

describe('resample edge cases', () => {
  it('returns the input itself at equal rates', () => {
    const x = Float32Array.of(1, 2, 3);
    expect(resample(x, 22050, 22050)).toBe(x);
  });

  it('gives ceil(n * to / from) samples, all finite, even for inputs shorter than the filter', () => {
    for (const [from, n] of [[44100, 1], [44100, 7], [48000, 5], [16000, 3], [44056, 9]]) {
      const out = resample(new Float32Array(n).fill(0.5), from, 22050);
      expect(out.length).toBe(Math.ceil((n * 22050) / from));
      expect(resampledLength(n, from, 22050)).toBe(out.length);
      expect(out.every(Number.isFinite)).toBe(true);
    }
    expect(resample(new Float32Array(0), 44100, 22050)).toHaveLength(0);
  });

  it('rejects invalid rates', () => {
    expect(() => resample(new Float32Array(4), 0, 22050)).toThrow(RangeError);
    expect(() => resample(new Float32Array(4), Number.NaN, 22050)).toThrow(RangeError);
  });
});
