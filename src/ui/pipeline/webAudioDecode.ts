import { ANALYSIS_SAMPLE_RATE, AudioError, type DecodedAudio } from '../../core/audio/types.ts';
import { createLimiter } from './limit.ts';

/**
 * The browser's own decoders (MP3, FLAC, Ogg, AAC... whatever this browser reads), through decodeAudioData on an
 * OfflineAudioContext at the analysis rate, so the PCM arrives already resampled to 22050 Hz. Web Audio exists
 * only on the main thread; at most two decodes run at once to bound the memory of decoded PCM in flight.
 */
const decodeSlot = createLimiter(2);

export function decodeWithWebAudio(bytes: ArrayBuffer): Promise<DecodedAudio> {
  return decodeSlot(async () => {
    const context = new OfflineAudioContext(1, 1, ANALYSIS_SAMPLE_RATE);
    let buffer: AudioBuffer;
    try {
      // decodeAudioData detaches the buffer it is given: hand it a copy, the caller may still need the bytes.
      buffer = await context.decodeAudioData(bytes.slice(0));
    } catch (error) {
      throw new AudioError(`the browser could not decode this file (${error instanceof Error ? error.message : String(error)})`);
    }
    // Copies the PCM out of the AudioBuffer into buffers of our own, which can then be transferred to a worker.
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => {
      const samples = new Float32Array(buffer.length);
      buffer.copyFromChannel(samples, c);
      return samples;
    });
    return { channels, sampleRate: buffer.sampleRate, format: 'webaudio' };
  });
}
