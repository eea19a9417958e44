import { describe, expect, it } from 'vitest';
import { peakFrequency, toneAmplitude } from './measure.ts';

const tone = (frequency: number, amplitude: number, rate: number, seconds: number): Float32Array =>
  Float32Array.from({ length: rate * seconds }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate + 0.3));

describe('tone measurement', () => {
  it('finds the amplitude and frequency of a sinusoid between bins', () => {
    const x = tone(1234.567, 0.25, 22050, 1);
    expect(toneAmplitude(x, 22050, 1234.567)).toBeCloseTo(0.25, 5);
    expect(peakFrequency(x, 22050, 1200, 1300)).toBeCloseTo(1234.567, 3);
  });

  it('sees nothing where there is nothing: a 60 dB weaker tone reads 60 dB down', () => {
    const x = tone(1000, 1, 22050, 1).map((v, i) => v + 0.001 * Math.sin((2 * Math.PI * 5000 * i) / 22050));
    expect(20 * Math.log10(toneAmplitude(x, 22050, 5000))).toBeCloseTo(-60, 1);
    expect(toneAmplitude(x, 22050, 7000)).toBeLessThan(1e-6);
  });
});
