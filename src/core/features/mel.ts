/**
 * librosa's mel filter bank (Slaney's auditory-toolbox mel scale, htk=False, norm='slaney' i.e. each
 * triangle scaled to unit area in Hz), the mel spectrogram, and power_to_db.
 */

/** A mel filter bank: row-major weights [mel * nBins + bin]; each row is non-zero only on [start, end). */
export interface MelFilterBank {
  nMels: number;
  nBins: number;
  weights: Float32Array;
  start: Int32Array;
  end: Int32Array;
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** librosa.hz_to_mel with htk=False: linear below 1 kHz, logarithmic above. */
export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

/** librosa.mel_to_hz with htk=False. */
export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** numpy.linspace(start, stop, n) computed the way numpy does (i * step + start, last point exact). */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = i * step + start;
  out[n - 1] = stop;
  return out;
}

/** librosa.fft_frequencies: the centre frequency of each rfft bin. */
export function fftFrequencies(sr: number, nFft: number): Float64Array {
  return linspace(0, sr / 2, (nFft >> 1) + 1);
}

/** librosa.mel_frequencies (htk=False): nMels frequencies evenly spaced on the mel scale. */
export function melFrequencies(nMels: number, fmin: number, fmax: number): Float64Array {
  const mels = linspace(hzToMel(fmin), hzToMel(fmax), nMels);
  return mels.map(melToHz);
}

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax) with htk=False and norm='slaney' (float32 weights). */
export function melFilterBank(sr: number, nFft: number, nMels = 128, fmin = 0, fmax = sr / 2): MelFilterBank {
  const nBins = (nFft >> 1) + 1;
  const fftFreqs = fftFrequencies(sr, nFft);
  const melF = melFrequencies(nMels + 2, fmin, fmax);
  const weights = new Float32Array(nMels * nBins);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    const lowDiff = melF[m + 1] - melF[m];
    const highDiff = melF[m + 2] - melF[m + 1];
    const enorm = 2 / (melF[m + 2] - melF[m]);
    let first = nBins;
    let last = -1;
    for (let b = 0; b < nBins; b++) {
      const lower = -(melF[m] - fftFreqs[b]) / lowDiff;
      const upper = (melF[m + 2] - fftFreqs[b]) / highDiff;
      const w = Math.max(0, Math.min(lower, upper));
      if (w > 0) {
        // librosa stores the triangle as float32, then scales it in place.
        weights[m * nBins + b] = Math.fround(w) * enorm;
        if (b < first) first = b;
        last = b;
      }
    }
    start[m] = last < 0 ? 0 : first;
    end[m] = last + 1;
  }
  return { nMels, nBins, weights, start, end };
}

/**
 * Mel spectrogram (librosa.feature.melspectrogram's np.dot(mel_basis, S)) of a frame-major power
 * spectrogram; returns frame-major [frame * nMels + mel], float32.
 */
export function melSpectrogram(power: Float32Array, nFrames: number, nBins: number, bank: MelFilterBank): Float32Array {
  if (bank.nBins !== nBins) throw new RangeError(`mel bank has ${bank.nBins} bins, the spectrogram ${nBins}`);
  const { nMels, weights, start, end } = bank;
  const out = new Float32Array(nFrames * nMels);
  for (let t = 0; t < nFrames; t++) {
    const frameBase = t * nBins;
    const outBase = t * nMels;
    for (let m = 0; m < nMels; m++) {
      const wBase = m * nBins;
      let acc = 0;
      for (let b = start[m]; b < end[m]; b++) acc += weights[wBase + b] * power[frameBase + b];
      out[outBase + m] = acc;
    }
  }
  return out;
}

export interface PowerToDbOptions {
  /** Reference power (0 dB); librosa's default 1. */
  ref?: number;
  /** Floor on the power before the log; librosa's default 1e-10. */
  amin?: number;
  /** Clip to (max - topDb); librosa's default 80; null for no clipping. */
  topDb?: number | null;
}

/**
 * librosa.power_to_db: 10 log10(max(amin, S) / max(amin, ref)), then clipped below at the array's
 * maximum minus topDb. Computed in float32 as librosa does for float32 input.
 */
export function powerToDb(power: Float32Array, opts: PowerToDbOptions = {}): Float32Array {
  const amin = Math.fround(opts.amin ?? 1e-10);
  const ref = opts.ref ?? 1;
  const topDb = opts.topDb === undefined ? 80 : opts.topDb;
  if (!(amin > 0)) throw new RangeError('amin must be strictly positive');
  const refDb = 10 * Math.log10(Math.max(amin, Math.abs(ref)));
  const out = new Float32Array(power.length);
  let max = -Infinity;
  for (let i = 0; i < power.length; i++) {
    const p = power[i];
    const db = Math.fround(Math.fround(10 * Math.fround(Math.log10(p > amin ? p : amin))) - refDb);
    out[i] = db;
    if (db > max) max = db;
  }
  if (topDb !== null && power.length > 0) {
    if (topDb < 0) throw new RangeError('topDb must be non-negative');
    const floor = Math.fround(max - topDb);
    for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  }
  return out;
}
