/**
 * librosa.feature.chroma_stft (0.7/0.8): the power spectrogram projected onto librosa's chroma filter bank
 * (tuned by estimate_tuning, i.e. piptrack over the same power spectrogram), each frame scaled to max 1.
 */
import { fftFrequencies } from './mel.ts';
import { FLOAT32_TINY } from './spectral.ts';

const N_CHROMA = 12;
/** float64's smallest normal number (librosa's util.tiny for the float64 filter weights). */
const FLOAT64_TINY = 2.2250738585072014e-308;

export interface TuningOptions {
  fmin?: number;
  fmax?: number;
  threshold?: number;
  resolution?: number;
  binsPerOctave?: number;
}

/** Interpolated spectral peaks (librosa.piptrack's non-zero pitches and their magnitudes), float32 values. */
export interface PitchCandidates {
  pitches: number[];
  mags: number[];
}

/**
 * librosa.piptrack over frames of a frame-major power spectrogram, appending to `into`: parabolic-interpolated
 * peaks between fmin and fmax that exceed 0.1 × their frame's maximum. Float32 arithmetic as librosa's arrays.
 * Frames are independent, so a spectrogram may be fed block by block.
 */
export function collectPitchCandidates(
  power: Float32Array,
  nFrames: number,
  nBins: number,
  sr: number,
  nFft: number,
  into: PitchCandidates,
  opts: TuningOptions = {},
): void {
  const fmin = Math.max(opts.fmin ?? 150, 0);
  const fmax = Math.min(opts.fmax ?? 4000, sr / 2);
  const threshold = opts.threshold ?? 0.1;
  const freqs = fftFrequencies(sr, nFft);
  // Bins inside [fmin, fmax); the parabola needs both neighbours (bin 0 is never a local maximum anyway).
  let lo = 1;
  while (lo < nBins - 1 && !(freqs[lo] >= fmin)) lo++;
  let hi = lo;
  while (hi < nBins - 1 && freqs[hi] < fmax) hi++;
  const f32 = Math.fround;
  const { pitches, mags } = into;
  for (let t = 0; t < nFrames; t++) {
    const base = t * nBins;
    let max = 0;
    for (let b = 0; b < nBins; b++) if (power[base + b] > max) max = power[base + b];
    const ref = f32(threshold * max);
    // Local maxima of S * (S > ref): values at or below the reference count as 0.
    for (let b = lo; b < hi; b++) {
      const cur = power[base + b];
      if (!(cur > ref)) continue;
      const prev = power[base + b - 1];
      const next = power[base + b + 1];
      if (!(cur > (prev > ref ? prev : 0) && cur >= (next > ref ? next : 0))) continue;
      const avg = f32(0.5 * f32(next - prev));
      let curvature = f32(f32(f32(2 * cur) - next) - prev);
      if (Math.abs(curvature) < FLOAT32_TINY) curvature = f32(curvature + 1);
      const shift = f32(avg / curvature);
      const pitch = f32(((b + shift) * sr) / nFft);
      if (pitch > 0) {
        pitches.push(pitch);
        mags.push(f32(cur + f32(f32(0.5 * avg) * shift)));
      }
    }
  }
}

/**
 * librosa.estimate_tuning from piptrack's peaks: those with magnitude at least the median vote, by their
 * deviation from the equal-tempered grid, in a histogram of `resolution`-wide bins; the winning bin's lower edge
 * is the tuning in fractions of a bin (0 without peaks).
 */
export function tuningFromCandidates(candidates: PitchCandidates, opts: TuningOptions = {}): number {
  const resolution = opts.resolution ?? 0.01;
  const binsPerOctave = opts.binsPerOctave ?? N_CHROMA;
  const { pitches, mags } = candidates;
  if (pitches.length === 0) return 0;
  const f32 = Math.fround;
  const median = medianFloat32(mags);
  const counts = new Int32Array(Math.ceil(1 / resolution));
  const nHist = counts.length;
  const edges = new Float64Array(nHist + 1);
  const step = 1 / nHist;
  for (let i = 0; i <= nHist; i++) edges[i] = i * step - 0.5;
  edges[nHist] = 0.5;
  const a440Base = 440 / 16;
  for (let i = 0; i < pitches.length; i++) {
    if (!(mags[i] >= median)) continue;
    const octs = f32(Math.log2(f32(pitches[i] / a440Base)));
    let residual = f32(f32(binsPerOctave * octs) % 1);
    if (residual < 0) residual = f32(residual + 1);
    if (residual >= 0.5) residual = f32(residual - 1);
    // numpy.histogram: bins [e_k, e_k+1), the last one closed.
    let k = Math.floor((residual + 0.5) * nHist);
    if (k > 0 && residual < edges[k]) k--;
    if (k < nHist - 1 && residual >= edges[k + 1]) k++;
    if (k >= 0 && k < nHist) counts[k]++;
    else if (residual === 0.5) counts[nHist - 1]++;
  }
  let best = 0;
  for (let k = 1; k < nHist; k++) if (counts[k] > counts[best]) best = k;
  return edges[best];
}

/** librosa.estimate_tuning(S=power) on a frame-major power spectrogram (piptrack, then the histogram vote). */
export function estimateTuning(
  power: Float32Array,
  nFrames: number,
  nBins: number,
  sr: number,
  nFft: number,
  opts: TuningOptions = {},
): number {
  const candidates: PitchCandidates = { pitches: [], mags: [] };
  collectPitchCandidates(power, nFrames, nBins, sr, nFft, candidates, opts);
  return tuningFromCandidates(candidates, opts);
}

/** np.median of float32 values: the middle one, or the float32 mean of the two middle ones. */
function medianFloat32(values: number[]): number {
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : Math.fround((sorted[mid - 1] + sorted[mid]) / 2);
}

/**
 * librosa.filters.chroma(sr, n_fft, tuning): Gaussian bumps around each pitch class for every FFT bin, columns
 * L2-normalized, weighted by a Gaussian over octaves (centre octave 5, width 2), rows starting at C.
 * Returns float32 weights [chroma * nBins + bin].
 */
export function chromaFilterBank(sr: number, nFft: number, tuning = 0): Float32Array {
  const nBins = (nFft >> 1) + 1;
  const a440 = 440 * 2 ** (tuning / N_CHROMA);
  // frqbins over all n_fft bins except DC; the DC value is made up 1.5 octaves below bin 1.
  const frqBins = new Float64Array(nFft);
  const step = sr / nFft;
  for (let k = 1; k < nFft; k++) frqBins[k] = N_CHROMA * Math.log2((k * step) / (a440 / 16));
  frqBins[0] = frqBins[1] - 1.5 * N_CHROMA;
  const binWidth = new Float64Array(nFft);
  for (let k = 0; k < nFft - 1; k++) binWidth[k] = Math.max(frqBins[k + 1] - frqBins[k], 1);
  binWidth[nFft - 1] = 1;
  const half = Math.round(N_CHROMA / 2);
  const weights = new Float32Array(N_CHROMA * nBins);
  const column = new Float64Array(N_CHROMA);
  for (let k = 0; k < nBins; k++) {
    let norm = 0;
    for (let c = 0; c < N_CHROMA; c++) {
      const x = frqBins[k] - c + half + 10 * N_CHROMA;
      const d = x - Math.floor(x / N_CHROMA) * N_CHROMA - half;
      const z = (2 * d) / binWidth[k];
      column[c] = Math.exp(-0.5 * z * z);
      norm += column[c] * column[c];
    }
    norm = Math.sqrt(norm);
    const scale = norm < FLOAT64_TINY ? 1 : 1 / norm;
    const octave = (frqBins[k] / N_CHROMA - 5) / 2;
    const octaveWeight = Math.exp(-0.5 * octave * octave);
    for (let c = 0; c < N_CHROMA; c++) {
      // np.roll(wts, -3, axis=0): row c of the result is row c + 3 (A-based to C-based).
      const src = (c + 3) % N_CHROMA;
      weights[c * nBins + k] = column[src] * scale * octaveWeight;
    }
  }
  return weights;
}

/**
 * Chromagram (12 × frames, chroma-major [c * nFrames + t]) from a frame-major power spectrogram, each frame
 * divided by its maximum (librosa's norm=inf; silent frames stay 0).
 */
export function chromaStft(power: Float32Array, nFrames: number, nBins: number, filterBank: Float32Array): Float32Array {
  // Bin-major copy of the (float32) weights so each power value is read once and feeds all 12 sums.
  const byBin = new Float32Array(nBins * N_CHROMA);
  for (let c = 0; c < N_CHROMA; c++) for (let b = 0; b < nBins; b++) byBin[b * N_CHROMA + c] = filterBank[c * nBins + b];
  const out = new Float32Array(N_CHROMA * nFrames);
  const frame = new Float64Array(N_CHROMA);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nBins;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0, c10 = 0, c11 = 0;
    for (let b = 0, w = 0; b < nBins; b++, w += N_CHROMA) {
      const p = power[base + b];
      c0 += byBin[w] * p;
      c1 += byBin[w + 1] * p;
      c2 += byBin[w + 2] * p;
      c3 += byBin[w + 3] * p;
      c4 += byBin[w + 4] * p;
      c5 += byBin[w + 5] * p;
      c6 += byBin[w + 6] * p;
      c7 += byBin[w + 7] * p;
      c8 += byBin[w + 8] * p;
      c9 += byBin[w + 9] * p;
      c10 += byBin[w + 10] * p;
      c11 += byBin[w + 11] * p;
    }
    frame[0] = c0; frame[1] = c1; frame[2] = c2; frame[3] = c3; frame[4] = c4; frame[5] = c5;
    frame[6] = c6; frame[7] = c7; frame[8] = c8; frame[9] = c9; frame[10] = c10; frame[11] = c11;
    // librosa's raw chroma is float32 (sgemm), then divided by the frame's maximum (norm=inf).
    let max = 0;
    for (let c = 0; c < N_CHROMA; c++) {
      frame[c] = Math.fround(frame[c]);
      if (Math.abs(frame[c]) > max) max = Math.abs(frame[c]);
    }
    const scale = max < FLOAT32_TINY ? 1 : max;
    for (let c = 0; c < N_CHROMA; c++) out[c * nFrames + t] = frame[c] / scale;
  }
  return out;
}
