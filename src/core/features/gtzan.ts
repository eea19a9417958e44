/**
 * The GTZAN feature set (the columns of the public features_30_sec.csv table, librosa 0.7/0.8 defaults) for a
 * clip or its segments, and log-mel patches for the CNN.
 */
import { analyseClip, HOP_LENGTH, N_MELS, type ClipAnalysis } from './analysis.ts';
import { harmonicPercussive } from './hpss.ts';
import { CORE_FEATURES, type FeatureFunction } from './registry.ts';
import { mean, variance } from './stats.ts';
import { estimateTempo } from './tempo.ts';
import { Workspace } from './workspace.ts';

/** Changes whenever any feature's numbers change: models and cached features record it. */
export const FEATURE_SET_VERSION = 'gtzan-librosa-1';

/** The 57 feature columns of the GTZAN table, in its order. */
export const GTZAN_FEATURE_NAMES: readonly string[] = [
  'chroma_stft_mean', 'chroma_stft_var', 'rms_mean', 'rms_var', 'spectral_centroid_mean', 'spectral_centroid_var',
  'spectral_bandwidth_mean', 'spectral_bandwidth_var', 'rolloff_mean', 'rolloff_var', 'zero_crossing_rate_mean',
  'zero_crossing_rate_var', 'harmony_mean', 'harmony_var', 'perceptr_mean', 'perceptr_var', 'tempo',
  ...Array.from({ length: 20 }, (_, k) => [`mfcc${k + 1}_mean`, `mfcc${k + 1}_var`]).flat(),
];

/** The GTZAN columns without harmony_* and perceptr_* (no harmonic/percussive separation: several times faster). */
export const FAST_FEATURE_NAMES: readonly string[] = GTZAN_FEATURE_NAMES.filter((n) => !/^(harmony|perceptr)_/.test(n));

/** Named feature sets a dataset or model can be built on. */
export const FEATURE_SETS = { gtzan: GTZAN_FEATURE_NAMES, fast: FAST_FEATURE_NAMES } as const;
export type FeatureSetName = keyof typeof FEATURE_SETS;

/**
 * The buffers behind every analysis made here. Each function below drops its analyses before it returns and JS runs
 * one of them at a time (per thread), so one workspace serves them all.
 */
const workspace = new Workspace();

/** librosa.effects.hpss(y): the harmonic and percussive waveforms, once per clip. */
function harmonicPercussiveOf(a: ClipAnalysis): { harmonic: Float32Array; percussive: Float32Array } {
  return a.memo('hpss', () =>
    harmonicPercussive(a.stft, a.samples.length, { samples: a.samples, magnitude: a.magnitude, workspace: a.workspace }),
  );
}

/** Every column muzo computes, by the table's column name. */
export const FEATURES: Readonly<Record<string, FeatureFunction>> = {
  ...CORE_FEATURES,
  harmony_mean: (a) => mean(harmonicPercussiveOf(a).harmonic),
  harmony_var: (a) => variance(harmonicPercussiveOf(a).harmonic),
  perceptr_mean: (a) => mean(harmonicPercussiveOf(a).percussive),
  perceptr_var: (a) => variance(harmonicPercussiveOf(a).percussive),
  tempo: (a) => a.memo('tempo', () => estimateTempo(a.melDb, a.nFrames, a.nMels, a.sampleRate, a.hop)),
};

/** Non-finite samples (a broken decoder's output) count as silence, so no feature can become NaN. */
function finiteSamples(samples: Float32Array): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) return samples.map((v) => (Number.isFinite(v) ? v : 0));
  }
  return samples;
}

/** The named features of a mono clip at `sampleRate`, in the order of `featureNames`. */
export function extractFeatures(
  samples: Float32Array,
  sampleRate: number,
  featureNames: readonly string[] = GTZAN_FEATURE_NAMES,
): Float64Array {
  return extract(samples, sampleRate, featureNames, false).features;
}

/** extractFeatures, and with `withLogMel` the clip's log-mel spectrogram read off the same analysis. */
function extract(
  samples: Float32Array,
  sampleRate: number,
  featureNames: readonly string[],
  withLogMel: boolean,
): { features: Float64Array; logMel: Float32Array | null } {
  if (samples.length === 0) throw new RangeError('cannot extract features from an empty clip');
  if (!(sampleRate > 0)) throw new RangeError(`invalid sample rate ${sampleRate}`);
  const functions = featureNames.map((name) => {
    const fn = FEATURES[name];
    if (!fn) throw new RangeError(`unknown feature '${name}'`);
    return fn;
  });
  const analysis = analyseClip(finiteSamples(samples), sampleRate, workspace);
  const out = new Float64Array(functions.length);
  const evaluate = (i: number) => {
    const v = functions[i](analysis);
    out[i] = Number.isFinite(v) ? v : 0;
  };
  // The core columns first; then the spectrograms no later column reads are dropped (the log-mel one stays for
  // tempo, the magnitude for the harmonic/percussive split) so a long clip never holds them and the
  // harmonic/percussive buffers at once.
  const isCore = featureNames.map((name) => name in CORE_FEATURES);
  for (let i = 0; i < functions.length; i++) if (isCore[i]) evaluate(i);
  if (isCore.includes(false)) {
    if (featureNames.includes('tempo')) void analysis.melDb;
    analysis.release('power', 'melPower');
    if (!featureNames.some((name) => /^(harmony|perceptr)_/.test(name))) analysis.release('magnitude');
    for (let i = 0; i < functions.length; i++) if (!isCore[i]) evaluate(i);
  }
  // melDb is a fresh array (not a workspace buffer), so it may outlive the analysis.
  return { features: out, logMel: withLogMel ? analysis.melDb : null };
}

/** All 57 GTZAN columns in table order. */
export function extractGtzanFeatures(samples: Float32Array, sampleRate: number): Float64Array {
  return extractFeatures(samples, sampleRate, GTZAN_FEATURE_NAMES);
}

/**
 * Sample ranges [start, end) of consecutive non-overlapping segments of `segmentSeconds` (GTZAN's 3-second
 * table: 10 per 30 s clip); a shorter tail is dropped unless it is the only segment.
 */
export function segmentBounds(length: number, sampleRate: number, segmentSeconds: number): Array<[number, number]> {
  if (!(segmentSeconds > 0)) throw new RangeError(`segment length must be positive, got ${segmentSeconds}`);
  const size = Math.max(1, Math.floor(segmentSeconds * sampleRate));
  const count = Math.floor(length / size);
  if (count === 0) return length > 0 ? [[0, length]] : [];
  return Array.from({ length: count }, (_, i): [number, number] => [i * size, (i + 1) * size]);
}

/** The named features of each segment (each analysed on its own, as GTZAN's 3-second table was). */
export function extractSegmentFeatures(
  samples: Float32Array,
  sampleRate: number,
  segmentSeconds = 3,
  featureNames: readonly string[] = GTZAN_FEATURE_NAMES,
): Float64Array[] {
  return segmentBounds(samples.length, sampleRate, segmentSeconds).map(([start, end]) =>
    extractFeatures(samples.subarray(start, end), sampleRate, featureNames),
  );
}

/**
 * extractSegmentFeatures and logMelPatches for one segment length, analysing each segment once for both (the
 * analysis worker needs both for a CNN model: its patches and the per-segment timeline).
 */
export function segmentFeaturesAndPatches(
  samples: Float32Array,
  sampleRate: number,
  segmentSeconds: number,
  featureNames: readonly string[] = GTZAN_FEATURE_NAMES,
): { segments: Float64Array[]; logMel: LogMelPatches } {
  const size = Math.max(1, Math.floor(segmentSeconds * sampleRate));
  // A clip shorter than one segment has its features taken as it is but its patch zero-padded: two analyses.
  if (samples.length < size) {
    return {
      segments: extractSegmentFeatures(samples, sampleRate, segmentSeconds, featureNames),
      logMel: logMelPatches(samples, sampleRate, { patchSeconds: segmentSeconds }),
    };
  }
  const results = segmentBounds(samples.length, sampleRate, segmentSeconds).map(([start, end]) =>
    extract(samples.subarray(start, end), sampleRate, featureNames, true),
  );
  return {
    segments: results.map((r) => r.features),
    logMel: { patches: results.map((r) => r.logMel!), nMels: N_MELS, nFrames: 1 + Math.floor(size / HOP_LENGTH) },
  };
}

export interface LogMelPatches {
  /** One [frame * nMels + mel] patch per segment, in dB (librosa power_to_db, ref 1, top_db 80). */
  patches: Float32Array[];
  nMels: typeof N_MELS;
  nFrames: number;
}

/**
 * Log-mel spectrogram patches, the CNN's input: each `patchSeconds` segment's librosa.power_to_db(
 * librosa.feature.melspectrogram(segment)) (128 Slaney bands, n_fft 2048, hop 512). A clip shorter than one patch
 * is zero-padded to it so every patch has the same shape.
 */
export function logMelPatches(
  samples: Float32Array,
  sampleRate: number,
  { patchSeconds = 3 }: { patchSeconds?: number } = {},
): LogMelPatches {
  const size = Math.max(1, Math.floor(patchSeconds * sampleRate));
  const nFrames = 1 + Math.floor(size / HOP_LENGTH);
  const clean = finiteSamples(samples);
  let padded = clean;
  if (clean.length < size) {
    padded = new Float32Array(size);
    padded.set(clean);
  }
  const patches = segmentBounds(padded.length, sampleRate, patchSeconds).map(([start, end]) => {
    // melDb is a fresh array (not a workspace buffer): it outlives the analysis.
    const analysis = analyseClip(padded.subarray(start, end), sampleRate, workspace);
    return analysis.melDb;
  });
  return { patches, nMels: N_MELS, nFrames };
}
