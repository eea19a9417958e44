/**
 * The feature registry: table column name -> function of a clip's shared analysis. Each frame-wise feature is
 * computed once per clip (memoized on the analysis) and summarized by np.mean / np.var as in the GTZAN table.
 */
import type { ClipAnalysis } from './analysis.ts';
import { chromaFilterBank, chromaStft } from './chroma.ts';
import { mfcc } from './mfcc.ts';
import { mean, variance } from './stats.ts';
import { rms, zeroCrossingRate } from './temporal.ts';

export type FeatureFunction = (a: ClipAnalysis) => number;

export const N_MFCC = 20;

/** chroma_stft with tuning=None (estimated from the same power spectrogram); chroma-major [c * nFrames + t]. */
export function chromaSeries(a: ClipAnalysis): Float32Array {
  return a.memo('chroma_stft', () => chromaStft(a.power, a.nFrames, a.nBins, chromaFilterBank(a.sampleRate, a.nFft, a.tuning)));
}

export function rmsSeries(a: ClipAnalysis): Float64Array {
  return a.memo('rms', () => rms(a.samples, a.nFft, a.hop, a.workspace));
}

export function zeroCrossingRateSeries(a: ClipAnalysis): Float64Array {
  return a.memo('zero_crossing_rate', () => zeroCrossingRate(a.samples, a.nFft, a.hop, a.workspace));
}

export function spectralCentroidSeries(a: ClipAnalysis): Float64Array {
  return a.spectralCentroid;
}

export function spectralBandwidthSeries(a: ClipAnalysis): Float64Array {
  return a.spectralBandwidth;
}

export function rolloffSeries(a: ClipAnalysis): Float64Array {
  return a.spectralRolloff;
}

/** librosa.feature.mfcc(y, sr) (20 coefficients), coefficient-major [k * nFrames + t]. */
export function mfccSeries(a: ClipAnalysis): Float32Array {
  return a.memo('mfcc', () => mfcc(a.melDb, a.nFrames, a.nMels, N_MFCC));
}

function meanAndVar(name: string, series: (a: ClipAnalysis) => ArrayLike<number>): Record<string, FeatureFunction> {
  return {
    [`${name}_mean`]: (a) => mean(series(a)),
    [`${name}_var`]: (a) => variance(series(a)),
  };
}

function mfccColumns(): Record<string, FeatureFunction> {
  const columns: Record<string, FeatureFunction> = {};
  for (let k = 0; k < N_MFCC; k++) {
    columns[`mfcc${k + 1}_mean`] = (a) => mean(mfccSeries(a), k * a.nFrames, a.nFrames);
    columns[`mfcc${k + 1}_var`] = (a) => variance(mfccSeries(a), k * a.nFrames, a.nFrames);
  }
  return columns;
}

/**
 * The columns computed from the shared STFT and the waveform's frames: every GTZAN column except the
 * harmonic/percussive ones and tempo (gtzan.ts adds those to make the full registry).
 */
export const CORE_FEATURES: Readonly<Record<string, FeatureFunction>> = {
  ...meanAndVar('chroma_stft', chromaSeries),
  ...meanAndVar('rms', rmsSeries),
  ...meanAndVar('spectral_centroid', spectralCentroidSeries),
  ...meanAndVar('spectral_bandwidth', spectralBandwidthSeries),
  ...meanAndVar('rolloff', rolloffSeries),
  ...meanAndVar('zero_crossing_rate', zeroCrossingRateSeries),
  ...mfccColumns(),
};
