/**
 * Harmonic/percussive separation as librosa 0.7/0.8's effects.harmonic and effects.percussive do it
 * (decompose.hpss with kernel_size 31, power 2, margin 1): median-filter the STFT magnitude along time
 * (harmonic) and along frequency (percussive), build Wiener-style soft masks H^2 / (H^2 + P^2) and
 * P^2 / (H^2 + P^2) (0.5 each where both are zero), apply them to the complex STFT and invert.
 *
 * The two masks sum to exactly one, so the percussive STFT is the full STFT minus the harmonic one; the
 * inverse STFT is linear, so percussive = istft(S) - harmonic and only the harmonic STFT needs its own
 * inverse on top of the plain reconstruction.
 */
import { medianFilter1d } from './median.ts';
import { istft, magnitudeSpectrogram, type Stft } from './stft.ts';

/** librosa.decompose.hpss's default median-filter width, in frames (harmonic) and bins (percussive). */
export const HPSS_KERNEL_SIZE = 31;

const FLOAT32_TINY = 1.1754943508222875e-38;

export interface HarmonicPercussive {
  harmonic: Float32Array;
  percussive: Float32Array;
}

/**
 * The harmonic and percussive signals of `length` samples from the signal's STFT (librosa.stft defaults:
 * n_fft 2048, hop 512, centred, reflect padding): librosa.effects.harmonic(y) and librosa.effects.percussive(y).
 */
export function harmonicPercussive(s: Stft, length: number, kernelSize = HPSS_KERNEL_SIZE): HarmonicPercussive {
  const { nFrames, nBins } = s;
  const magnitude = magnitudeSpectrogram(s);
  const alongTime = new Float32Array(magnitude.length);
  const alongFrequency = new Float32Array(magnitude.length);
  medianFilter1d(magnitude, alongTime, { lines: nBins, length: nFrames, lineStride: 1, sampleStride: nBins }, kernelSize);
  medianFilter1d(magnitude, alongFrequency, { lines: nFrames, length: nBins, lineStride: nBins, sampleStride: 1 }, kernelSize);
  const harmonicRe = new Float32Array(magnitude.length);
  const harmonicIm = new Float32Array(magnitude.length);
  for (let i = 0; i < magnitude.length; i++) {
    const mask = harmonicMask(alongTime[i], alongFrequency[i]);
    harmonicRe[i] = s.re[i] * mask;
    harmonicIm[i] = s.im[i] * mask;
  }
  const harmonic = istft({ ...s, re: harmonicRe, im: harmonicIm }, length);
  const percussive = istft(s, length);
  for (let i = 0; i < length; i++) percussive[i] -= harmonic[i];
  return { harmonic, percussive };
}

/** librosa.util.softmask(H, P, power=2, split_zeros=True): H^2 / (H^2 + P^2), 0.5 where both are below tiny. */
export function harmonicMask(h: number, p: number): number {
  const z = h > p ? h : p;
  if (z < FLOAT32_TINY) return 0.5;
  const hr = h / z;
  const pr = p / z;
  return (hr * hr) / (hr * hr + pr * pr);
}
