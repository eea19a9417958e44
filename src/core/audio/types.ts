/** The sample rate all of muzo's analysis runs at (librosa's default, and the GTZAN clips' rate). */
export const ANALYSIS_SAMPLE_RATE = 22050;

/** Audio as decoded from a file: one Float32Array per channel, samples in [-1, 1]. */
export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
  /** Container/codec name, e.g. 'wav', 'au', 'flac', 'mp3', 'ogg'. */
  format: string;
}

/** Mono PCM ready for analysis. */
export interface MonoPcm {
  samples: Float32Array;
  sampleRate: number;
}

/** A per-file failure with a message a person can act on. */
export class AudioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioError';
  }
}
