import { formatDuration, MAX_AUDIO_SECONDS, tooLongError } from './limits.ts';
import { resample } from './resample.ts';
import { ANALYSIS_SAMPLE_RATE, AudioError, type DecodedAudio, type MonoPcm } from './types.ts';

/**
 * Long-file analysis policy. It bounds the memory and time one file can take, whatever its length:
 * - a file up to `wholeFileSeconds` (10 minutes) is analysed whole;
 * - a longer one is analysed through `excerptCount` (10) evenly spaced excerpts of `excerptSeconds` (30 s) each,
 *   concatenated (5 minutes of audio in all), the first starting at the beginning and the last ending at the end
 *   (a single excerpt is taken from the middle); each excerpt is resampled on its own;
 * - a file longer than `maxSeconds` (3 hours) is rejected with a clear message (decoders reject a header that
 *   promises more than that before allocating its samples).
 * Files shorter than `minSeconds` (1 s) are rejected: too short for the features' frames and statistics.
 * decodeForAnalysis (decode.ts) keeps only the excerpts' samples while it decodes, mixed to mono, so a long file
 * costs its bytes plus 5 minutes of mono audio.
 */
export interface AnalysisPolicy {
  wholeFileSeconds: number;
  excerptCount: number;
  excerptSeconds: number;
  maxSeconds: number;
  minSeconds: number;
}

export const DEFAULT_ANALYSIS_POLICY: AnalysisPolicy = {
  wholeFileSeconds: 10 * 60,
  excerptCount: 10,
  excerptSeconds: 30,
  maxSeconds: MAX_AUDIO_SECONDS,
  minSeconds: 1,
};

/**
 * Turns decoded audio into the mono PCM at ANALYSIS_SAMPLE_RATE that feature extraction reads: validates it,
 * downmixes it (mean of the channels), applies the long-file policy and resamples it (band-limited).
 * Throws AudioError with a reason a person can act on; the samples it returns are always finite.
 */
export function prepareForAnalysis(
  decoded: DecodedAudio,
  policy: AnalysisPolicy = DEFAULT_ANALYSIS_POLICY,
): { pcm: MonoPcm; notes: string[] } {
  checkAnalysable(decoded, policy);
  const collector = new AnalysisCollector(
    { sampleRate: decoded.sampleRate, channelCount: decoded.channels.length, frames: decoded.channels[0].length },
    policy,
  );
  collector.push(decoded.channels);
  return collector.finish();
}

/**
 * Throws the AudioError prepareForAnalysis would throw before mixing and resampling: no channels, an invalid
 * sample rate, unequal channel lengths, no samples, too long or too short, NaN/infinite samples, digital silence.
 */
export function checkAnalysable(decoded: DecodedAudio, policy: AnalysisPolicy = DEFAULT_ANALYSIS_POLICY): void {
  const { channels, sampleRate } = decoded;
  checkSource({ sampleRate, channelCount: channels.length, frames: channels[0]?.length ?? 0 }, policy);
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames)) throw new AudioError('the channels have different lengths');
  checkLength(frames, sampleRate, policy);
  checkSamples(countNonFinite(channels), channels.some((c) => !isDigitalSilence(c)));
}

/** What a decoder knows of a file before its samples: `frames` is what the header promises. */
export interface SourceShape {
  sampleRate: number;
  channelCount: number;
  frames: number;
}

function checkSource(source: SourceShape, policy: AnalysisPolicy): void {
  if (source.channelCount === 0) throw new AudioError('the file has no audio channels');
  if (!(Number.isFinite(source.sampleRate) && source.sampleRate > 0)) throw new AudioError(`invalid sample rate: ${source.sampleRate}`);
  if (source.frames / source.sampleRate > policy.maxSeconds) throw tooLongError(source.frames / source.sampleRate, policy.maxSeconds);
}

function checkLength(frames: number, sampleRate: number, policy: AnalysisPolicy): void {
  if (frames === 0) throw new AudioError('the file contains no audio samples');
  const seconds = frames / sampleRate;
  if (seconds > policy.maxSeconds) throw tooLongError(seconds, policy.maxSeconds);
  if (seconds < policy.minSeconds) {
    throw new AudioError(`too short to analyse: ${seconds.toFixed(3)} s (at least ${policy.minSeconds} s is needed)`);
  }
}

function checkSamples(nonFinite: number, anyNonZero: boolean): void {
  if (nonFinite > 0) throw new AudioError(`${nonFinite} sample${nonFinite === 1 ? ' is' : 's are'} NaN or infinite`);
  if (!anyNonZero) throw new AudioError('the audio is digital silence (every sample is zero)');
}

/**
 * Receives a file's decoded samples in consecutive chunks and keeps only what the policy analyses, mixed to mono:
 * the whole file, or its excerpts (placed from the frame count the header promises). `finish` validates what was
 * received and returns the analysis PCM.
 */
export class AnalysisCollector {
  /** [start, end) frames to keep; end is Infinity for a whole file (its real length may differ from the promise). */
  readonly regions: [number, number][];
  private readonly kept: Float32Array[][];
  private position = 0;
  private nonFinite = 0;
  private anyNonZero = false;

  constructor(
    private readonly source: SourceShape,
    private readonly policy: AnalysisPolicy = DEFAULT_ANALYSIS_POLICY,
  ) {
    checkSource(source, policy);
    const excerpts = analysisRegions(source.frames, source.sampleRate, policy);
    this.regions = excerpts.length === 1 ? [[0, Infinity]] : excerpts;
    this.kept = this.regions.map(() => []);
  }

  /** Frames received so far (or skipped: `push` may start past them). */
  get frames(): number {
    return this.position;
  }

  /** Takes the next frames (one array per channel, equal lengths), which start at frame `at` of the file. */
  push(channels: Float32Array[], at = this.position): void {
    if (channels.length !== this.source.channelCount) {
      throw new AudioError(`the decoder returned ${channels.length} channels where the header declares ${this.source.channelCount}`);
    }
    const length = channels[0].length;
    this.nonFinite += countNonFinite(channels);
    this.anyNonZero ||= channels.some((c) => !isDigitalSilence(c));
    this.regions.forEach(([start, end], r) => {
      const from = Math.max(start, at);
      const to = Math.min(end, at + length);
      if (from < to) this.kept[r].push(downmix(channels, from - at, to - at));
    });
    this.position = Math.max(this.position, at + length);
  }

  /**
   * Validates what was received (length from `totalFrames`, by default the frames pushed), then mixes, resamples
   * and concatenates the kept regions. Throws AudioError with the reason when the audio cannot be analysed.
   */
  finish(totalFrames = this.position): { pcm: MonoPcm; notes: string[] } {
    const { sampleRate, channelCount } = this.source;
    checkLength(totalFrames, sampleRate, this.policy);
    checkSamples(this.nonFinite, this.anyNonZero);
    const parts = this.kept
      .map((chunks) => (chunks.length === 1 ? chunks[0] : concatenate(chunks)))
      .filter((part) => part.length > 0)
      .map((part) => resample(part, sampleRate, ANALYSIS_SAMPLE_RATE));
    const samples = parts.length === 1 ? parts[0] : concatenate(parts);
    if (isDigitalSilence(samples)) throw new AudioError('the audio is silent after mixing its channels to mono');
    // Float formats can hold values near the Float32 limit, which mixing or filtering can push to infinity.
    if (countNonFinite([samples]) > 0) throw new AudioError('sample values are out of range (they overflow when mixed or resampled)');
    const notes: string[] = [];
    if (this.regions.length > 1) {
      notes.push(
        `long file (${formatDuration(totalFrames / sampleRate)}): analysed ${parts.length} evenly spaced ${this.policy.excerptSeconds} s excerpts`,
      );
    }
    if (channelCount > 1) notes.push(`mixed ${channelCount} channels to mono`);
    if (sampleRate !== ANALYSIS_SAMPLE_RATE) notes.push(`resampled from ${sampleRate} Hz to ${ANALYSIS_SAMPLE_RATE} Hz`);
    return { pcm: { samples, sampleRate: ANALYSIS_SAMPLE_RATE }, notes };
  }
}

/** [start, end) frame ranges to analyse under the policy. */
export function analysisRegions(frames: number, sampleRate: number, policy: AnalysisPolicy): [number, number][] {
  if (frames / sampleRate <= policy.wholeFileSeconds) return [[0, frames]];
  const excerpt = Math.round(policy.excerptSeconds * sampleRate);
  const count = policy.excerptCount;
  const spacing = count > 1 ? (frames - excerpt) / (count - 1) : (frames - excerpt) / 2;
  return Array.from({ length: count }, (_, i): [number, number] => {
    const start = Math.round((count > 1 ? i : 1) * spacing);
    return [start, start + excerpt];
  });
}

/** Mean of the channels over [start, end); a single channel is copied out (callers may keep the result). */
function downmix(channels: Float32Array[], start: number, end: number): Float32Array {
  if (channels.length === 1) return channels[0].slice(start, end);
  const out = new Float32Array(end - start);
  for (const channel of channels) for (let i = start; i < end; i++) out[i - start] += channel[i];
  const scale = 1 / channels.length;
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}

function countNonFinite(channels: Float32Array[]): number {
  let count = 0;
  for (const channel of channels) {
    for (let i = 0; i < channel.length; i++) if (!Number.isFinite(channel[i])) count++;
  }
  return count;
}

function isDigitalSilence(samples: Float32Array): boolean {
  for (let i = 0; i < samples.length; i++) if (samples[i] !== 0) return false;
  return true;
}

function concatenate(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
