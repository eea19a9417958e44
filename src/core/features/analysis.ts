/**
 * One clip's shared spectral analysis: the STFT is computed once and its derived spectrograms on first use,
 * so every feature (and the harmonic/percussive split) reads the same arrays.
 */
import { fftFrequencies, melFilterBank, melSpectrogram, powerToDb, type MelFilterBank } from './mel.ts';
import { magnitudeSpectrogram, stft, type Stft } from './stft.ts';

/** librosa's defaults, which the GTZAN table used. */
export const N_FFT = 2048;
export const HOP_LENGTH = 512;
export const N_MELS = 128;

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
  private cache = new Map<string, unknown>();

  constructor(samples: Float32Array, sampleRate: number) {
    this.samples = samples;
    this.sampleRate = sampleRate;
    this.stft = stft(samples, { nFft: this.nFft, hop: this.hop, center: true, padMode: 'reflect' });
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

  /** |X|², frame-major (the float32 magnitude squared, as librosa's np.abs(D)**2). */
  get power(): Float32Array {
    // Squaring the memoized magnitude gives exactly powerSpectrogram(stft) without a second square root.
    return this.memo('power', () => {
      const mag = this.magnitude;
      const power = new Float32Array(mag.length);
      for (let i = 0; i < mag.length; i++) power[i] = mag[i] * mag[i];
      return power;
    });
  }

  /** |X|, frame-major. */
  get magnitude(): Float32Array {
    return this.memo('magnitude', () => magnitudeSpectrogram(this.stft));
  }

  /** Centre frequency of each bin. */
  get frequencies(): Float64Array {
    return this.memo('frequencies', () => fftFrequencies(this.sampleRate, this.nFft));
  }

  /** librosa.feature.melspectrogram (power 2, 128 Slaney bands), frame-major [t * nMels + m]. */
  get melPower(): Float32Array {
    return this.memo('melPower', () =>
      melSpectrogram(this.power, this.nFrames, this.nBins, cachedMelBank(this.sampleRate, this.nFft, this.nMels)),
    );
  }

  /** power_to_db(melPower) with ref 1, amin 1e-10, top_db 80 (what librosa's mfcc uses). */
  get melDb(): Float32Array {
    return this.memo('melDb', () => powerToDb(this.melPower));
  }
}

/** Analyses a mono clip once for all features. */
export function analyseClip(samples: Float32Array, sampleRate: number): ClipAnalysis {
  return new ClipAnalysis(samples, sampleRate);
}
