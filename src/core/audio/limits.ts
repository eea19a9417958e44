import { AudioError } from './types.ts';

/**
 * The longest audio muzo accepts (3 hours). Decoders reject a header that promises more before allocating its
 * samples; prepareForAnalysis rejects longer decoded audio.
 */
export const MAX_AUDIO_SECONDS = 3 * 60 * 60;

export function tooLongError(seconds: number, limitSeconds = MAX_AUDIO_SECONDS): AudioError {
  return new AudioError(`too long to analyse: ${formatDuration(seconds)} (the limit is ${formatDuration(limitSeconds)})`);
}

/** "42.0 s", "12 min 5 s", "3 h 20 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const wholeSeconds = Math.round(seconds);
  if (wholeSeconds < 3600) return `${Math.floor(wholeSeconds / 60)} min ${wholeSeconds % 60} s`;
  const wholeMinutes = Math.round(seconds / 60);
  return `${Math.floor(wholeMinutes / 60)} h ${wholeMinutes % 60} min`;
}
