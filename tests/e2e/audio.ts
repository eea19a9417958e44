/** Audio the browser tests make for themselves: tones, noise, WAV (the audio engineer's encoder) and MP3 (LAME). */
import { createMp3Encoder } from 'wasm-media-encoders';
import { encodeWav } from '../../src/core/audio/wav.ts';

export function tone(seconds: number, rate: number, hz: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Deterministic white noise (a linear congruential generator), so every run makes the same files. */
export function noise(seconds: number, rate: number, seed: number, amplitude = 0.3): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: Math.round(seconds * rate) }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return amplitude * (state / 2 ** 31 - 1);
  });
}

export function wavBytes(channels: Float32Array[], rate: number): Buffer {
  return Buffer.from(encodeWav(channels, rate, 'int16'));
}

export async function mp3Bytes(channels: Float32Array[], rate: 44100 | 48000 | 32000 | 22050): Promise<Buffer> {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: rate, channels: channels.length as 1 | 2, bitrate: 128 });
  const head = encoder.encode(channels).slice();
  const tail = encoder.finalize().slice();
  return Buffer.concat([head, tail]);
}

export interface TestFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A FLAC file that is only a header (STREAMINFO) promising `seconds` of 22050 Hz mono 16-bit audio. */
export function flacHeaderPromising(seconds: number): Buffer {
  const total = Math.round(seconds * 22050);
  const header = Buffer.alloc(42);
  header.write('fLaC', 0, 'ascii');
  header.set([0x80, 0, 0, 34], 4); // last metadata block, STREAMINFO, 34 bytes
  header.set([0x10, 0x00, 0x10, 0x00], 8); // block sizes 4096
  header.set([0x05, 0x62, 0x20, 0xf0 | Math.floor(total / 2 ** 32)], 18); // 22050 Hz, 1 channel, 16 bits
  header.writeUInt32BE(total % 2 ** 32, 22);
  return header;
}
