import { createRng, randomNormal, type Rng } from '../data/random.ts';
import { resample } from './resample.ts';
import type { MonoPcm } from './types.ts';

/**
 * Audio augmentation for training files (never for test files): pure functions on MonoPcm, each returning new
 * PCM at the same sample rate. Randomness only comes from the Rng passed in, so a seed reproduces a run.
 */

/** Multiplies every sample by 10^(dB / 20). No clipping: the analysis works on floats. */
export function applyGain(pcm: MonoPcm, gainDb: number): MonoPcm {
  const factor = 10 ** (gainDb / 20);
  return { samples: pcm.samples.map((x) => x * factor), sampleRate: pcm.sampleRate };
}

/**
 * Adds Gaussian white noise whose power is exactly the signal's power divided by 10^(snrDb / 10) (the drawn
 * noise is rescaled to that power, so the SNR holds for every draw, not just on average).
 */
export function addNoise(pcm: MonoPcm, snrDb: number, rng: Rng): MonoPcm {
  const signalPower = meanSquare(pcm.samples);
  if (signalPower === 0) throw new RangeError('addNoise: the signal is silent, so no SNR can be set');
  const noise = new Float64Array(pcm.samples.length);
  for (let i = 0; i < noise.length; i++) noise[i] = randomNormal(rng);
  const scale = Math.sqrt(signalPower / 10 ** (snrDb / 10) / meanSquare(noise));
  const samples = new Float32Array(noise.length);
  for (let i = 0; i < samples.length; i++) samples[i] = pcm.samples[i] + noise[i] * scale;
  return { samples, sampleRate: pcm.sampleRate };
}

/**
 * Changes the tempo by `rate` (2 = twice as fast, half as long) keeping the pitch: WSOLA (waveform-similarity
 * overlap-add). Hann-windowed frames of ~46 ms are laid out every half frame; each is taken from the input near
 * its nominal position (output time x rate), shifted by up to a quarter frame to best continue the previous one.
 */
export function timeStretch(pcm: MonoPcm, rate: number): MonoPcm {
  if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`timeStretch: rate must be positive, got ${rate}`);
  const x = pcm.samples;
  const outLength = Math.round(x.length / rate);
  if (rate === 1) return { samples: x.slice(), sampleRate: pcm.sampleRate };
  const frame = 2 ** Math.round(Math.log2(0.046 * pcm.sampleRate));
  const hop = frame / 2;
  const tolerance = frame / 4;
  const window = Float32Array.from({ length: frame }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frame));
  const out = new Float32Array(outLength + frame);
  const weight = new Float32Array(outLength + frame);
  let previous = 0;
  for (let k = 0; k * hop < outLength; k++) {
    const nominal = Math.round(k * hop * rate);
    const position = k === 0 ? 0 : bestMatch(x, previous + hop, nominal, tolerance, frame);
    for (let i = 0; i < frame; i++) {
      const at = position + i;
      if (at >= 0 && at < x.length) out[k * hop + i] += x[at] * window[i];
      weight[k * hop + i] += window[i];
    }
    previous = position;
  }
  for (let i = 0; i < outLength; i++) if (weight[i] > 1e-3) out[i] /= weight[i];
  return { samples: out.subarray(0, outLength).slice(), sampleRate: pcm.sampleRate };
}

/**
 * The input position within `tolerance` of `nominal` whose frame best continues the frame at `target`, judged on
 * the half frame that overlaps the previous one: a coarse search (every 4th lag and sample), then a full one
 * around its best.
 */
function bestMatch(x: Float32Array, target: number, nominal: number, tolerance: number, frame: number): number {
  const coarse = searchLags(x, target, nominal - tolerance, nominal + tolerance, 4, frame / 2);
  return searchLags(x, target, coarse - 3, coarse + 3, 1, frame / 2);
}

function searchLags(x: Float32Array, target: number, from: number, to: number, step: number, length: number): number {
  let best = from;
  let bestScore = -Infinity;
  for (let position = from; position <= to; position += step) {
    // only the samples where both frames lie inside the input
    const first = Math.max(0, -target, -position);
    const last = Math.min(length, x.length - target, x.length - position);
    let score = 0;
    for (let i = first; i < last; i += step) score += x[target + i] * x[position + i];
    if (score > bestScore) [best, bestScore] = [position, score];
  }
  return best;
}

/**
 * Shifts the pitch by `semitones` keeping the duration: time-stretch by 1 / ratio, then resample so the longer
 * signal plays in the original time (ratio = 2^(semitones / 12); librosa's pitch_shift does the same with a
 * phase vocoder). The output has exactly the input's length.
 */
export function pitchShift(pcm: MonoPcm, semitones: number): MonoPcm {
  if (!Number.isFinite(semitones)) throw new RangeError(`pitchShift: semitones must be finite, got ${semitones}`);
  if (semitones === 0) return { samples: pcm.samples.slice(), sampleRate: pcm.sampleRate };
  const ratio = 2 ** (semitones / 12);
  const stretched = timeStretch(pcm, 1 / ratio);
  const shifted = resample(stretched.samples, pcm.sampleRate * ratio, pcm.sampleRate);
  const samples = new Float32Array(pcm.samples.length);
  samples.set(shifted.subarray(0, samples.length));
  return { samples, sampleRate: pcm.sampleRate };
}

/** One draw of augmentation parameters (what was applied, for the run's report). */
export interface Augmentation {
  stretchRate: number;
  semitones: number;
  gainDb: number;
  snrDb: number;
}

/** Ranges [low, high] each parameter is drawn from, uniformly. */
export interface AugmentationRanges {
  stretchRate: [number, number];
  semitones: [number, number];
  gainDb: [number, number];
  snrDb: [number, number];
}

/** Mild defaults that keep a genre recognisable: ±10% tempo, ±2 semitones, ±6 dB, noise 20-40 dB below. */
export const DEFAULT_AUGMENTATION_RANGES: AugmentationRanges = {
  stretchRate: [0.9, 1.1],
  semitones: [-2, 2],
  gainDb: [-6, 6],
  snrDb: [20, 40],
};

export function drawAugmentation(rng: Rng, ranges: AugmentationRanges = DEFAULT_AUGMENTATION_RANGES): Augmentation {
  const draw = ([low, high]: [number, number]): number => low + (high - low) * rng();
  return {
    stretchRate: draw(ranges.stretchRate),
    semitones: draw(ranges.semitones),
    gainDb: draw(ranges.gainDb),
    snrDb: draw(ranges.snrDb),
  };
}

/** Applies time stretch, pitch shift, gain, then noise (last, so the SNR refers to the signal as heard). */
export function applyAugmentation(pcm: MonoPcm, augmentation: Augmentation, rng: Rng): MonoPcm {
  const stretched = timeStretch(pcm, augmentation.stretchRate);
  const shifted = pitchShift(stretched, augmentation.semitones);
  return addNoise(applyGain(shifted, augmentation.gainDb), augmentation.snrDb, rng);
}

function meanSquare(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return x.length > 0 ? sum / x.length : 0;
}

/** What a run's audio augmentation does: `copies` augmented copies of every training file, each with its own draw. */
export interface AudioAugmentationSettings {
  copies: number;
  seed: number;
  ranges: AugmentationRanges;
}

/** The transforms in the order applyAugmentation applies them (for reports). */
export const AUGMENTATION_ORDER = ['time stretch', 'pitch shift', 'gain', 'noise'] as const;

export function defaultAudioAugmentation(seed: number, copies = 1): AudioAugmentationSettings {
  return { copies, seed, ranges: DEFAULT_AUGMENTATION_RANGES };
}

/**
 * `settings.copies` augmented copies of a file's PCM. Copy c's parameters and noise come from an Rng seeded by the
 * run's seed, c and a fingerprint of the samples, so a file gets the same copies whatever order (or worker) it is
 * processed in. A silent file (no SNR can be set) has no copies.
 */
export function augmentedCopies(pcm: MonoPcm, settings: AudioAugmentationSettings): Array<{ augmentation: Augmentation; pcm: MonoPcm }> {
  if (!(Number.isInteger(settings.copies) && settings.copies >= 0)) throw new RangeError(`augmentation copies must be a whole number >= 0, got ${settings.copies}`);
  if (meanSquare(pcm.samples) === 0) return [];
  const fingerprint = fingerprintSamples(pcm.samples);
  return Array.from({ length: settings.copies }, (_, c) => {
    const rng = createRng(Math.imul(fingerprint ^ Math.imul(settings.seed | 0, 0x9e3779b1), 31) + c);
    const augmentation = drawAugmentation(rng, settings.ranges);
    return { augmentation, pcm: applyAugmentation(pcm, augmentation, rng) };
  });
}

/** FNV-1a over the samples' float32 bit patterns (every 7th sample: enough to tell files apart, cheap on long ones). */
function fingerprintSamples(samples: Float32Array): number {
  const bits = new Uint32Array(samples.buffer, samples.byteOffset, samples.length);
  let hash = 0x811c9dc5 ^ samples.length;
  for (let i = 0; i < bits.length; i += 7) {
    hash = Math.imul(hash ^ bits[i], 0x01000193);
  }
  return hash | 0;
}
