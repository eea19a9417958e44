/**
 * What the analysis worker does for one file, as a plain async function (so Node tests run it too):
 * decode (when given bytes) → prepareForAnalysis (validation, mono, 22050 Hz, long-file policy) → the GTZAN
 * features of the whole clip and of each segment, and log-mel patches on request.
 */
import { augmentedCopies, type Augmentation, type AudioAugmentationSettings } from '../src/core/audio/augment.ts';
import { decodeForAnalysis, type AnalysedSource } from '../src/core/audio/decode.ts';
import { readTags, type AudioTags } from '../src/core/audio/tags.ts';
import { prepareForAnalysis } from '../src/core/audio/prepare.ts';
import type { DecodedAudio, MonoPcm } from '../src/core/audio/types.ts';
import {
  FEATURE_SETS,
  extractFeatures,
  extractSegmentFeatures,
  logMelPatches,
  segmentFeaturesAndPatches,
  type FeatureSetName,
  type LogMelPatches,
} from '../src/core/features/gtzan.ts';

export type AnalysisInput =
  /** Encoded file bytes, decoded in the worker (WAV and AU by the TypeScript parsers; FLAC/MP3/Ogg by wasm). */
  | { kind: 'encoded'; bytes: Uint8Array }
  /** PCM the page decoded with Web Audio. */
  | { kind: 'decoded'; audio: DecodedAudio };

export interface AnalysisOptions {
  /** 'gtzan': the 57 columns; 'fast': without harmony/perceptr (no harmonic/percussive separation). */
  featureSet: FeatureSetName;
  /** Compute the whole clip's features (for clip-level models); segment and patch models do without them. */
  clip: boolean;
  /** Also compute features per segment of this many seconds; null: the whole clip only. */
  segmentSeconds: number | null;
  /** Also compute log-mel patches of this many seconds (the CNN's input); null: none. */
  logMelPatchSeconds: number | null;
  /** Also analyse augmented copies of the audio (training files), transformed before feature extraction. */
  augment?: AudioAugmentationSettings | null;
}

/** The features of one augmented copy, in the layout of the original's. */
export interface AugmentedAnalysis {
  augmentation: Augmentation;
  /** The copy's whole-clip features, when the options ask for the clip's. */
  clip: Float64Array | null;
  segments: Float64Array;
  segmentCount: number;
  /** The copy's log-mel patches, when the options ask for patches. */
  logMel: AnalysisResult['logMel'];
}

export type AnalysisStage = 'decoding' | 'analysing';

export interface AnalysisResult {
  /** Container/codec of the decoded audio ('webaudio' when the page decoded it). */
  format: string;
  /** Sample rate of the decoded audio (the file's own rate for worker-decoded files). */
  decodedSampleRate: number;
  channelCount: number;
  durationSeconds: number;
  /** Seconds of audio the features describe (less than the duration under the long-file policy). */
  analysedSeconds: number;
  notes: string[];
  featureNames: string[];
  /** One vector for the whole (analysed) clip, when the options ask for it. */
  clip: Float64Array | null;
  /** segmentCount vectors packed one after another. */
  segments: Float64Array;
  segmentCount: number;
  segmentSeconds: number | null;
  /** Log-mel patches packed one after another (patchCount × nFrames × nMels), when asked for. */
  logMel: { data: Float32Array; patchCount: number; nFrames: number; nMels: number } | null;
  timings: { decodeMs: number; prepareMs: number; featuresMs: number };
  /** Augmented copies' features, when `augment` asked for them. */
  augmented?: AugmentedAnalysis[];
  /** Artist/title/album tags of encoded input (the page reads those of files it decoded itself). */
  tags?: AudioTags;
}

function pack(vectors: ArrayLike<number>[], width: number, Type: Float64ArrayConstructor | Float32ArrayConstructor) {
  const out = new Type(vectors.length * width);
  vectors.forEach((v, i) => out.set(v, i * width));
  return out;
}

/**
 * The per-segment features and the log-mel patches the options ask for. When both use one length (a CNN model's
 * patches and its timeline's segments), each segment is analysed once for both.
 */
function segmentsAndPatches(
  pcm: MonoPcm,
  options: AnalysisOptions,
  featureNames: readonly string[],
): { segments: Float64Array[]; logMel: AnalysisResult['logMel'] } {
  const { segmentSeconds, logMelPatchSeconds } = options;
  if (segmentSeconds && segmentSeconds === logMelPatchSeconds) {
    const both = segmentFeaturesAndPatches(pcm.samples, pcm.sampleRate, segmentSeconds, featureNames);
    return { segments: both.segments, logMel: packLogMel(both.logMel) };
  }
  return {
    segments: segmentSeconds ? extractSegmentFeatures(pcm.samples, pcm.sampleRate, segmentSeconds, featureNames) : [],
    logMel: logMelPatchSeconds ? packLogMel(logMelPatches(pcm.samples, pcm.sampleRate, { patchSeconds: logMelPatchSeconds })) : null,
  };
}

function packLogMel(mel: LogMelPatches): NonNullable<AnalysisResult['logMel']> {
  return {
    data: pack(mel.patches, mel.nFrames * mel.nMels, Float32Array) as Float32Array,
    patchCount: mel.patches.length,
    nFrames: mel.nFrames,
    nMels: mel.nMels,
  };
}

export async function analyseAudio(
  input: AnalysisInput,
  options: AnalysisOptions,
  onStage?: (stage: AnalysisStage) => void,
): Promise<AnalysisResult> {
  const t0 = performance.now();
  let source: AnalysedSource;
  let prepared: { pcm: MonoPcm; notes: string[] };
  let t1: number;
  if (input.kind === 'encoded') {
    // Decoded straight into the analysis PCM: memory stays bounded on long files (the long-file policy).
    onStage?.('decoding');
    ({ source, ...prepared } = await decodeForAnalysis(input.bytes));
    t1 = performance.now();
    onStage?.('analysing');
  } else {
    const { audio } = input;
    t1 = performance.now();
    onStage?.('analysing');
    const frames = audio.channels[0]?.length ?? 0;
    source = { format: audio.format, sampleRate: audio.sampleRate, channels: audio.channels.length, duration: frames / audio.sampleRate };
    prepared = prepareForAnalysis(audio);
  }
  const { pcm, notes } = prepared;
  const t2 = performance.now();

  const featureNames = FEATURE_SETS[options.featureSet];
  const clip = options.clip ? extractFeatures(pcm.samples, pcm.sampleRate, featureNames) : null;
  const { segments: segmentVectors, logMel } = segmentsAndPatches(pcm, options, featureNames);
  const augmented = options.augment
    ? augmentedCopies(pcm, options.augment).map(({ augmentation, pcm: copy }): AugmentedAnalysis => {
        const copyParts = segmentsAndPatches(copy, options, featureNames);
        return {
          augmentation,
          clip: options.clip ? extractFeatures(copy.samples, copy.sampleRate, featureNames) : null,
          segments: pack(copyParts.segments, featureNames.length, Float64Array) as Float64Array,
          segmentCount: copyParts.segments.length,
          logMel: copyParts.logMel,
        };
      })
    : undefined;
  const t3 = performance.now();

  return {
    format: source.format,
    decodedSampleRate: source.sampleRate,
    channelCount: source.channels,
    durationSeconds: source.duration,
    analysedSeconds: pcm.samples.length / pcm.sampleRate,
    notes,
    featureNames: [...featureNames],
    clip,
    segments: pack(segmentVectors, featureNames.length, Float64Array) as Float64Array,
    segmentCount: segmentVectors.length,
    segmentSeconds: options.segmentSeconds,
    logMel,
    timings: { decodeMs: t1 - t0, prepareMs: t2 - t1, featuresMs: t3 - t2 },
    ...(augmented ? { augmented } : {}),
    ...(input.kind === 'encoded' ? { tags: readTags(input.bytes) } : {}),
  };
}
