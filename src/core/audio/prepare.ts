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
  const { channels, sampleRate } = decoded;
  const frames = channels[0].length;
  const seconds = frames / sampleRate;
  const notes: string[] = [];
  const regions = analysisRegions(frames, sampleRate, policy);
  if (regions.length > 1) {
    notes.push(
      `long file (${formatDuration(seconds)}): analysed ${regions.length} evenly spaced ${policy.excerptSeconds} s excerpts`,
    );
  }
  const parts = regions.map(([start, end]) => resample(downmix(channels, start, end), sampleRate, ANALYSIS_SAMPLE_RATE));
  const samples = parts.length === 1 ? parts[0] : concatenate(parts);
  if (isDigitalSilence(samples)) throw new AudioError('the audio is silent after mixing its channels to mono');
  // Float formats can hold values near the Float32 limit, which mixing or filtering can push to infinity.
  if (countNonFinite([samples]) > 0) throw new AudioError('sample values are out of range (they overflow when mixed or resampled)');
  if (channels.length > 1) notes.push(`mixed ${channels.length} channels to mono`);
  if (sampleRate !== ANALYSIS_SAMPLE_RATE) notes.push(`resampled from ${sampleRate} Hz to ${ANALYSIS_SAMPLE_RATE} Hz`);
  return { pcm: { samples, sampleRate: ANALYSIS_SAMPLE_RATE }, notes };
}

/**
 * Throws the AudioError prepareForAnalysis would throw before mixing and resampling: no channels, an invalid
 * sample rate, unequal channel lengths, no samples, too long or too short, NaN/infinite samples, digital silence.
 */
export function checkAnalysable(decoded: DecodedAudio, policy: AnalysisPolicy = DEFAULT_ANALYSIS_POLICY): void {
  const { channels, sampleRate } = decoded;
  if (channels.length === 0) throw new AudioError('the file has no audio channels');
  if (!(Number.isFinite(sampleRate) && sampleRate > 0)) throw new AudioError(`invalid sample rate: ${sampleRate}`);
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames)) throw new AudioError('the channels have different lengths');
  if (frames === 0) throw new AudioError('the file contains no audio samples');
  const seconds = frames / sampleRate;
  if (seconds > policy.maxSeconds) throw tooLongError(seconds, policy.maxSeconds);
  if (seconds < policy.minSeconds) {
    throw new AudioError(`too short to analyse: ${seconds.toFixed(3)} s (at least ${policy.minSeconds} s is needed)`);
  }
  const nonFinite = countNonFinite(channels);
  if (nonFinite > 0) throw new AudioError(`${nonFinite} sample${nonFinite === 1 ? ' is' : 's are'} NaN or infinite`);
  if (channels.every(isDigitalSilence)) throw new AudioError('the audio is digital silence (every sample is zero)');
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
