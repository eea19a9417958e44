import { realFftPlan } from './fft.ts';
import { float32Buffer, type Workspace } from './workspace.ts';

/** A short-time Fourier transform, frame-major: bin `b` of frame `t` is at `t * nBins + b`; nBins = nFft / 2 + 1. */
export interface Stft {
  nFft: number;
  hop: number;
  nFrames: number;
  nBins: number;
  re: Float32Array;
  im: Float32Array;
}

export interface StftOptions {
  nFft?: number;
  hop?: number;
  /** Pad the signal by nFft / 2 on both sides so frame t is centred on sample t * hop (librosa's default). */
  center?: boolean;
  /** librosa 0.7/0.8 (the GTZAN table's era) padded with 'reflect'; 0.10 switched to 'constant'. */
  padMode?: 'reflect' | 'constant';
  /** Takes the output arrays from this workspace (they are valid until its next analysis). */
  workspace?: Workspace;
}

/** scipy.signal.get_window('hann', n, fftbins=True): the periodic Hann window librosa uses. */
export function hannWindow(n: number): Float64Array {
  // scipy's general_cosine: 0.5 + 0.5 cos(x) over linspace(-π, π, n + 1)[:-1].
  const w = new Float64Array(n);
  const step = (2 * Math.PI) / n;
  for (let i = 0; i < n; i++) w[i] = 0.5 + 0.5 * Math.cos(i * step - Math.PI);
  return w;
}

/** Index into a signal of `length` samples for position `i` of numpy's 'reflect' padding (edge not repeated). */
export function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  let k = i % period;
  if (k < 0) k += period;
  return k < length ? k : period - k;
}

/** Number of frames librosa's stft yields for a signal of `length` samples. */
export function stftFrameCount(length: number, nFft: number, hop: number, center: boolean): number {
  const padded = center ? length + 2 * (nFft >> 1) : length;
  if (padded < nFft) return 0;
  return 1 + Math.floor((padded - nFft) / hop);
}

/**
 * librosa.stft (0.7/0.8 defaults: n_fft 2048, hop 512, periodic Hann, center=True, pad_mode='reflect'):
 * windowed frames transformed in double precision, stored as float32 (librosa's complex64).
 */
export function stft(y: Float32Array, opts: StftOptions = {}): Stft {
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? 512;
  const center = opts.center ?? true;
  const padMode = opts.padMode ?? 'reflect';
  const plan = realFftPlan(nFft);
  const nBins = plan.nBins;
  const nFrames = stftFrameCount(y.length, nFft, hop, center);
  // Every bin of every frame is written below, so reused buffers need no clearing.
  const re = float32Buffer(opts.workspace, 'stftRe', nFrames * nBins);
  const im = float32Buffer(opts.workspace, 'stftIm', nFrames * nBins);
  const window = hannWindow(nFft);
  // Float32 like the signal (its values are samples or zeros), so every frame takes the float32 path.
  const edgeFrame = new Float32Array(nFft);
  const pad = center ? nFft >> 1 : 0;
  const n = y.length;
  for (let t = 0; t < nFrames; t++) {
    const start = t * hop - pad;
    if (start >= 0 && start + nFft <= n) {
      plan.forwardFloat32(y, start, window, re, im, t * nBins);
      continue;
    }
    // Frames overlapping the padding: gather the padded samples first.
    for (let i = 0; i < nFft; i++) {
      const j = start + i;
      if (j >= 0 && j < n) edgeFrame[i] = y[j];
      else edgeFrame[i] = padMode === 'constant' || n === 0 ? 0 : y[reflectIndex(j, n)];
    }
    plan.forwardFloat32(edgeFrame, 0, window, re, im, t * nBins);
  }
  return { nFft, hop, nFrames, nBins, re, im };
}

/** |X|^2 per bin, same layout as the STFT (float32, as librosa's np.abs(S)**2 of complex64). */
export function powerSpectrogram(s: Stft): Float32Array {
  const out = new Float32Array(s.re.length);
  const { re, im } = s;
  for (let i = 0; i < out.length; i++) {
    // np.abs of complex64 is rounded to float32 before squaring (float32 inputs cannot overflow in double).
    const r = re[i];
    const m = im[i];
    const mag = Math.fround(Math.sqrt(r * r + m * m));
    out[i] = mag * mag;
  }
  return out;
}

/** |X| per bin, same layout as the STFT (float32). */
export function magnitudeSpectrogram(s: Stft): Float32Array {
  const out = new Float32Array(s.re.length);
  const { re, im } = s;
  for (let i = 0; i < out.length; i++) {
    const r = re[i];
    const m = im[i];
    out[i] = Math.sqrt(r * r + m * m);
  }
  return out;
}

/**
 * librosa.filters.window_sumsquare: Σ_t window²[n - t·hop] over the frames covering sample n, accumulated in
 * float32 frame by frame as librosa does. Where all frames overlap, the sum depends only on n mod hop (the same
 * additions in the same order), so one period is computed and repeated.
 */
export function windowSumSquare(window: Float64Array, nFrames: number, hop: number): Float32Array {
  const nFft = window.length;
  const length = nFft + hop * Math.max(0, nFrames - 1);
  const out = new Float32Array(length);
  const square = window.map((w) => w * w);
  const sumAt = (n: number): number => {
    let acc = 0;
    const first = Math.max(0, Math.ceil((n - nFft + 1) / hop));
    const last = Math.min(nFrames - 1, Math.floor(n / hop));
    for (let t = first; t <= last; t++) acc = Math.fround(acc + square[n - t * hop]);
    return acc;
  };
  // Samples from `steady` to `end` are covered by the full set of ceil(nFft / hop) frames.
  const steady = nFft;
  const end = hop * (nFrames - 1);
  if (hop > nFft || end - steady < 2 * hop) {
    for (let n = 0; n < length; n++) out[n] = sumAt(n);
    return out;
  }
  for (let n = 0; n < steady + hop; n++) out[n] = sumAt(n);
  for (let n = steady + hop; n < end; n++) out[n] = out[n - hop];
  for (let n = end; n < length; n++) out[n] = sumAt(n);
  return out;
}

/**
 * librosa.istft (0.7/0.8 semantics, periodic Hann, center=True): inverse FFT of each frame, windowed
 * overlap-add, division by the window's sum-square wherever it exceeds float32's tiny, the first nFft / 2
 * samples dropped, then cut or zero-padded to exactly `length` samples.
 */
export function istft(s: Stft, length: number): Float32Array {
  const { nFft, hop, nFrames, nBins } = s;
  const plan = realFftPlan(nFft);
  const window = hannWindow(nFft);
  const y = overlapAddBuffer(nFft, hop, nFrames);
  for (let t = 0; t < nFrames; t++) plan.inverseOverlapAdd(s.re, s.im, t * nBins, window, y, t * hop);
  return finishIstft(y, window, nFrames, hop, length);
}

/**
 * istft's overlap-add buffer for `nFrames` frames, zeroed: float32, so its sums round exactly as numpy's float32
 * ones.
 */
export function overlapAddBuffer(nFft: number, hop: number, nFrames: number, workspace?: Workspace): Float32Array {
  return float32Buffer(workspace, 'overlapAdd', nFft + hop * Math.max(0, nFrames - 1)).fill(0);
}

/**
 * The rest of istft once every frame is overlap-added into `y` (RealFftPlan.inverseOverlapAdd with `window`):
 * division by the window's sum-square wherever it exceeds float32's tiny, the first nFft / 2 samples dropped, then
 * cut or zero-padded to `length` samples.
 */
export function finishIstft(
  y: Float32Array,
  window: Float64Array,
  nFrames: number,
  hop: number,
  length: number,
  workspace?: Workspace,
): Float32Array {
  const nFft = window.length;
  const windowSum = windowSumSquare(window, nFrames, hop);
  const tiny = 1.1754943508222875e-38;
  const out = float32Buffer(workspace, 'istft', length);
  const offset = nFft >> 1;
  const available = Math.max(0, Math.min(length, y.length - offset));
  for (let i = 0; i < available; i++) {
    const w = windowSum[offset + i];
    out[i] = w > tiny ? y[offset + i] / w : y[offset + i];
  }
  out.fill(0, available);
  return out;
}
