/**
 * One clip's shared spectral analysis: the STFT is computed once and its derived spectrograms on first use,
 * so every feature (and the harmonic/percussive split) reads the same arrays.
 */
import { collectPitchCandidates, tuningFromCandidates, type PitchCandidates } from './chroma.ts';
import { fftFrequencies, melFilterBank, melSpectrogram, powerToDb, type MelFilterBank } from './mel.ts';
import { spectralBandwidth, spectralCentroid, spectralRolloff } from './spectral.ts';
import { stft, type Stft } from './stft.ts';
import { float32Buffer, type Workspace } from './workspace.ts';

/** librosa's defaults, which the GTZAN table used. */
export const N_FFT = 2048;
export const HOP_LENGTH = 512;
export const N_MELS = 128;

/**
 * Frames per block of the front end: the frame-wise spectral features run block by block while a block's
 * spectrogram rows are still in cache (about 130 KB per array), instead of streaming each whole array once per
 * feature.
 */
const BLOCK_FRAMES = 32;

/** What the blocked front end computes, memoized under these keys. */
const FRONT_END_KEYS = ['magnitude', 'power', 'melPower', 'spectral_centroid', 'spectral_bandwidth', 'rolloff', 'pitchCandidates'] as const;
type FrontEndKey = (typeof FRONT_END_KEYS)[number];

const melBanks = new Map<string, MelFilterBank>();

/** The (cached) Slaney mel bank for this rate and FFT size. */
export function cachedMelBank(sr: number, nFft: number, nMels: number): MelFilterBank {
  const key = `${sr}/${nFft}/${nMels}`;
  let bank = melBanks.get(key);
  if (!bank) {
    bank = melFilterBank(sr, nFft, nMels);
    melBanks.set(key, bank);
  }
  return bank;
}

export class ClipAnalysis {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly nFft = N_FFT;
  readonly hop = HOP_LENGTH;
  readonly nMels = N_MELS;
  readonly stft: Stft;
  /** Where the spectrogram-sized arrays come from (fresh ones without it). */
  readonly workspace: Workspace | undefined;
  private cache = new Map<string, unknown>();

  constructor(samples: Float32Array, sampleRate: number, workspace?: Workspace) {
    this.samples = samples;
    this.sampleRate = sampleRate;
    this.workspace = workspace;
    this.stft = stft(samples, { nFft: this.nFft, hop: this.hop, center: true, padMode: 'reflect', workspace });
  }

  get nFrames(): number {
    return this.stft.nFrames;
  }

  get nBins(): number {
    return this.stft.nBins;
  }

  /** Computes `make()` once per analysis under `key` (frame series shared by several columns). */
  memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  /** Forgets memoized arrays no later feature needs (they are recomputed if asked for again). */
  release(...keys: string[]): void {
    for (const key of keys) this.cache.delete(key);
  }

  /**
   * The frame-wise spectral work, block by block: |X| (float32, as np.abs of complex64), |X|² (that float32
   * magnitude squared, as np.abs(D)**2), the mel spectrogram, spectral centroid, bandwidth and rolloff, and
   * piptrack's peaks for the tuning estimate. Each is exactly what its whole-array function computes.
   */
  private runFrontEnd(): void {
    const { nFrames, nBins } = this;
    const { re, im } = this.stft;
    const freqs = this.frequencies;
    const bank = cachedMelBank(this.sampleRate, this.nFft, this.nMels);
    // Both are written whole, block by block.
    const magnitude = float32Buffer(this.workspace, 'magnitude', nFrames * nBins);
    const power = float32Buffer(this.workspace, 'power', nFrames * nBins);
    const melPower = new Float32Array(nFrames * this.nMels);
    const centroid = new Float64Array(nFrames);
    const bandwidth = new Float64Array(nFrames);
    const rolloff = new Float64Array(nFrames);
    const candidates: PitchCandidates = { pitches: [], mags: [] };
    for (let t0 = 0; t0 < nFrames; t0 += BLOCK_FRAMES) {
      const t1 = Math.min(nFrames, t0 + BLOCK_FRAMES);
      const n = t1 - t0;
      const lo = t0 * nBins;
      const hi = t1 * nBins;
      for (let i = lo; i < hi; i++) {
        const r = re[i];
        const m = im[i];
        const mag = Math.fround(Math.sqrt(r * r + m * m));
        magnitude[i] = mag;
        power[i] = mag * mag;
      }
      const magBlock = magnitude.subarray(lo, hi);
      const powerBlock = power.subarray(lo, hi);
      const c = spectralCentroid(magBlock, n, nBins, freqs);
      centroid.set(c, t0);
      bandwidth.set(spectralBandwidth(magBlock, n, nBins, freqs, c), t0);
      rolloff.set(spectralRolloff(magBlock, n, nBins, freqs), t0);
      melPower.set(melSpectrogram(powerBlock, n, nBins, bank), t0 * this.nMels);
      collectPitchCandidates(powerBlock, n, nBins, this.sampleRate, this.nFft, candidates);
    }
    const results: Record<FrontEndKey, unknown> = {
      magnitude,
      power,
      melPower,
      spectral_centroid: centroid,
      spectral_bandwidth: bandwidth,
      rolloff,
      pitchCandidates: candidates,
    };
    for (const key of FRONT_END_KEYS) this.cache.set(key, results[key]);
  }

  private frontEnd<T>(key: FrontEndKey): T {
    if (!this.cache.has(key)) this.runFrontEnd();
    return this.cache.get(key) as T;
  }

  /** |X|, frame-major. */
  get magnitude(): Float32Array {
    return this.frontEnd('magnitude');
  }

  /** |X|², frame-major. */
  get power(): Float32Array {
    return this.frontEnd('power');
  }

  /** librosa.feature.melspectrogram (power 2, 128 Slaney bands), frame-major [t * nMels + m]. */
  get melPower(): Float32Array {
    return this.frontEnd('melPower');
  }

  /** librosa.feature.spectral_centroid per frame (Hz). */
  get spectralCentroid(): Float64Array {
    return this.frontEnd('spectral_centroid');
  }

  /** librosa.feature.spectral_bandwidth per frame (Hz). */
  get spectralBandwidth(): Float64Array {
    return this.frontEnd('spectral_bandwidth');
  }

  /** librosa.feature.spectral_rolloff per frame (Hz). */
  get spectralRolloff(): Float64Array {
    return this.frontEnd('rolloff');
  }

  /** librosa.estimate_tuning over the power spectrogram (chroma_stft's tuning=None), in fractions of a bin. */
  get tuning(): number {
    return this.memo('tuning', () => tuningFromCandidates(this.frontEnd<PitchCandidates>('pitchCandidates')));
  }

  /** Centre frequency of each bin. */
  get frequencies(): Float64Array {
    return this.memo('frequencies', () => fftFrequencies(this.sampleRate, this.nFft));
  }

  /** power_to_db(melPower) with ref 1, amin 1e-10, top_db 80 (what librosa's mfcc uses). */
  get melDb(): Float32Array {
    return this.memo('melDb', () => powerToDb(this.melPower));
  }
}

/**
 * Analyses a mono clip once for all features. With a workspace, its spectrograms live in the workspace's buffers:
 * the analysis must be dropped before the workspace serves another.
 */
export function analyseClip(samples: Float32Array, sampleRate: number, workspace?: Workspace): ClipAnalysis {
  return new ClipAnalysis(samples, sampleRate, workspace);
}
