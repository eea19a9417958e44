import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { AudioError, type DecodedAudio } from './types.ts';

/**
 * Decodes a whole audio file from its bytes, picking the decoder by the file's magic bytes.
 * Works in Node, workers and the main thread (the compressed formats use wasm decoders).
 */
export async function decodeAudioBytes(bytes: Uint8Array): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new AudioError('the file is empty');
  if (startsWith(bytes, 'fLaC')) return decodeFlac(bytes);
  throw new AudioError('unknown or unsupported audio format');
}

function startsWith(bytes: Uint8Array, ascii: string, offset = 0): boolean {
  if (bytes.length < offset + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[offset + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

async function decodeFlac(bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = new FLACDecoder();
  await decoder.ready;
  try {
    const out = await decoder.decodeFile(bytes);
    if (out.errors.length > 0 && out.samplesDecoded === 0) throw new AudioError(`FLAC decoding failed: ${out.errors[0].message}`);
    return { channels: out.channelData, sampleRate: out.sampleRate, format: 'flac' };
  } finally {
    decoder.free();
  }
}
