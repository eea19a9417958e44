/**
 * Harmonic/percussive separation as librosa 0.7's effects.harmonic and effects.percussive do it
 * (decompose.hpss with kernel_size 31, power 2, margin 1): median-filter the STFT magnitude along time
 * (harmonic) and along frequency (percussive), build Wiener-style soft masks H^2 / (H^2 + P^2) and
 * P^2 / (H^2 + P^2) (0.5 each where both are zero), apply them to the complex STFT and invert.
 *
 * librosa 0.7 inverted without a target length and then zero-padded (util.fix_length), so the last
 * len(y) - hop (nFrames - 1) samples of both signals are zero; the GTZAN table has exactly that.
 *
 * The two masks sum to exactly one, so the percussive STFT is the full STFT minus the harmonic one, and
 * the inverse STFT is linear: percussive = istft(S) - harmonic, where istft(S) reconstructs the signal
 * itself. Given the signal, only the harmonic STFT is inverted.
 */
import { medianFilter1d } from './median.ts';
import { realFftPlan } from './fft.ts';
import { finishIstft, hannWindow, istft, magnitudeSpectrogram, overlapAddBuffer, type Stft } from './stft.ts';
import { float32Buffer, type Workspace } from './workspace.ts';

/** librosa.decompose.hpss's default median-filter width, in frames (harmonic) and bins (percussive). */
export const HPSS_KERNEL_SIZE = 31;

const FLOAT32_TINY = 1.1754943508222875e-38;

export interface HarmonicPercussive {
  harmonic: Float32Array;
  percussive: Float32Array;
}

export interface HarmonicPercussiveOptions {
  /** The signal the STFT was computed from (`length` samples): spares the inverse STFT of S. */
  samples?: Float32Array;
  /** |S|, frame-major, when the caller already has it. */
  magnitude?: Float32Array;
  kernelSize?: number;
  /**
   * Takes the median-filtered spectrograms, the overlap-add buffer and the two results from this workspace (the
   * results are then valid until its next analysis).
   */
  workspace?: Workspace;
}

/**
 * librosa.effects.harmonic(y) and librosa.effects.percussive(y) (librosa 0.7) from the STFT of y
 * (librosa.stft defaults: n_fft 2048, hop 512, centred, reflect padding) and y's length in samples.
 */
export function harmonicPercussive(s: Stft, length: number, opts: HarmonicPercussiveOptions = {}): HarmonicPercussive {
  const { nFrames, nBins, re, im } = s;
  const kernelSize = opts.kernelSize ?? HPSS_KERNEL_SIZE;
  if (opts.samples && opts.samples.length !== length) throw new RangeError('samples must have `length` samples');
  const magnitude = opts.magnitude ?? magnitudeSpectrogram(s);
  if (magnitude.length !== nFrames * nBins) throw new RangeError('magnitude does not match the STFT');
  const { workspace } = opts;
  // Both filters write every element.
  const alongTime = float32Buffer(workspace, 'hpssAlongTime', magnitude.length);
  const alongFrequency = float32Buffer(workspace, 'hpssAlongFrequency', magnitude.length);
  medianFilter1d(magnitude, alongTime, { lines: nBins, length: nFrames, lineStride: 1, sampleStride: nBins }, kernelSize);
  medianFilter1d(magnitude, alongFrequency, { lines: nFrames, length: nBins, lineStride: nBins, sampleStride: 1 }, kernelSize);
  // The harmonic STFT is masked one frame at a time and overlap-added straight away (istft's loop), so the
  // masked spectrogram is never stored whole.
  const plan = realFftPlan(s.nFft);
  const window = hannWindow(s.nFft);
  const y = overlapAddBuffer(s.nFft, s.hop, nFrames, workspace);
  const frameRe = new Float32Array(nBins);
  const frameIm = new Float32Array(nBins);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nBins;
    // harmonicMask written out: Chromium's V8 did not inline the call (one per bin and frame). Its test
    // max(h, p) < tiny is asked as h < tiny && p < tiny: the same for magnitudes, but the first comparison is
    // almost always false and predicted, where h > p ? h : p is a coin toss per bin (the loop ran 2.5x slower).
    for (let b = 0; b < nBins; b++) {
      const h = alongTime[base + b];
      const p = alongFrequency[base + b];
      const hh = h * h;
      const mask = h < FLOAT32_TINY && p < FLOAT32_TINY ? 0.5 : hh / (hh + p * p);
      frameRe[b] = re[base + b] * mask;
      frameIm[b] = im[base + b] * mask;
    }
    plan.inverseOverlapAdd(frameRe, frameIm, 0, window, y, t * s.hop);
  }
  const harmonic = finishIstft(y, window, nFrames, s.hop, length, workspace);
  let percussive: Float32Array;
  if (opts.samples) {
    percussive = float32Buffer(workspace, 'percussive', length);
    percussive.set(opts.samples);
  } else percussive = istft(s, length);
  // librosa 0.7's istft output stops hop (nFrames - 1) samples in (centre padding trimmed on both ends).
  const inverted = Math.min(length, s.hop * Math.max(0, nFrames - 1));
  harmonic.fill(0, inverted);
  percussive.fill(0, inverted);
  for (let i = 0; i < inverted; i++) percussive[i] -= harmonic[i];
  return { harmonic, percussive };
}

/**
 * librosa.util.softmask(H, P, power=2, split_zeros=True): H^2 / (H^2 + P^2), 0.5 where both are below
 * float32's smallest normal. librosa first divides both by max(H, P) to avoid float32 overflow; squares of
 * float32 magnitudes cannot overflow or vanish in double precision, so the ratio is taken directly.
 */
export function harmonicMask(h: number, p: number): number {
  if (h < FLOAT32_TINY && p < FLOAT32_TINY) return 0.5;
  const hh = h * h;
  return hh / (hh + p * p);
}
