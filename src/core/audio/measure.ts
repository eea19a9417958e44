/**
 * Measuring a tone in a signal, for the resampler's and augmentation's checks: amplitude by a Hann-windowed DTFT
 * at any frequency (not just FFT bins), and the frequency of a spectral peak by golden-section search of it.
 */

/** Amplitude of the sinusoid at `frequency` Hz, from the middle 80% of the signal (edges skipped). */
export function toneAmplitude(x: Float32Array, sampleRate: number, frequency: number): number {
  const from = Math.floor(x.length * 0.1);
  const n = Math.floor(x.length * 0.8);
  const step = (2 * Math.PI * frequency) / sampleRate;
  const cosStep = Math.cos(step);
  const sinStep = Math.sin(step);
  // e^{i step k}, advanced by rotation: one complex multiply per sample instead of two trig calls
  let c = Math.cos(step * from);
  let s = Math.sin(step * from);
  let re = 0;
  let im = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    re += w * x[from + i] * c;
    im += w * x[from + i] * s;
    windowSum += w;
    const next = c * cosStep - s * sinStep;
    s = s * cosStep + c * sinStep;
    c = next;
  }
  return (2 * Math.hypot(re, im)) / windowSum;
}

/** Frequency (Hz) of the amplitude peak within [low, high]: a grid of `gridHz`, then golden-section refinement. */
export function peakFrequency(x: Float32Array, sampleRate: number, low: number, high: number, gridHz = 1): number {
  let best = low;
  let bestAmplitude = toneAmplitude(x, sampleRate, low);
  for (let f = low + gridHz; f <= high; f += gridHz) {
    const amplitude = toneAmplitude(x, sampleRate, f);
    if (amplitude > bestAmplitude) [best, bestAmplitude] = [f, amplitude];
  }
  let a = Math.max(low, best - gridHz);
  let b = Math.min(high, best + gridHz);
  for (let i = 0; i < 30; i++) {
    const c = a + (b - a) * 0.382;
    const d = a + (b - a) * 0.618;
    if (toneAmplitude(x, sampleRate, c) > toneAmplitude(x, sampleRate, d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}
