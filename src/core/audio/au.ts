import { MAX_AUDIO_SECONDS, tooLongError } from './limits.ts';
import { bytesPerSample, readFrames, writeInterleaved, type PcmLayout, type SampleFormat } from './pcm.ts';
import { AudioError, type DecodedAudio } from './types.ts';

/**
 * Sun/NeXT audio (.au, .snd; the original GTZAN format): a big-endian header of six 32-bit words (magic '.snd',
 * data offset, data size, encoding, sample rate, channels), an optional annotation, then interleaved big-endian
 * samples. A data size of 0xffffffff means "up to the end of the file". DEC's little-endian variant ('dns.')
 * is read too.
 */

const UNKNOWN_SIZE = 0xffffffff;

/** Encoding numbers of the header. */
const AU_ENCODINGS: Record<number, SampleFormat> = {
  1: 'mulaw',
  2: 'int8',
  3: 'int16',
  4: 'int24',
  5: 'int32',
  6: 'float32',
  7: 'float64',
  27: 'alaw',
};

export function isAu(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && (magic(bytes) === '.snd' || magic(bytes) === 'dns.');
}

export function parseAu(bytes: Uint8Array): DecodedAudio {
  const layout = auLayout(bytes);
  return { channels: readFrames(bytes, layout), sampleRate: layout.sampleRate, format: 'au' };
}

/** Reads and checks the header; throws AudioError for anything muzo cannot read, including cut-off samples. */
export function auLayout(bytes: Uint8Array): PcmLayout {
  if (!isAu(bytes)) throw new AudioError('not an AU file (no .snd header)');
  if (bytes.length < 24) throw new AudioError('truncated AU file: the header is incomplete');
  const littleEndian = magic(bytes) === 'dns.';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(4, littleEndian);
  const dataSize = view.getUint32(8, littleEndian);
  const encoding = view.getUint32(12, littleEndian);
  const sampleRate = view.getUint32(16, littleEndian);
  const channelCount = view.getUint32(20, littleEndian);
  if (dataOffset < 24) throw new AudioError(`corrupt AU header: data offset ${dataOffset} is inside the header`);
  if (dataOffset > bytes.length) throw new AudioError('truncated AU file: the audio data starts past the end of the file');
  const format = AU_ENCODINGS[encoding];
  if (!format) throw new AudioError(`unsupported AU encoding ${encoding} (muzo reads mu-law, A-law, 8/16/24/32-bit PCM and float)`);
  if (channelCount === 0) throw new AudioError('the AU header declares no channels');
  if (sampleRate === 0) throw new AudioError('the AU header declares a sample rate of 0');
  const frameBytes = bytesPerSample(format) * channelCount;
  const available = bytes.length - dataOffset;
  const declared = dataSize === UNKNOWN_SIZE ? available : dataSize;
  const frames = Math.floor(declared / frameBytes);
  if (frames / sampleRate > MAX_AUDIO_SECONDS) throw tooLongError(frames / sampleRate);
  if (declared > available) {
    throw new AudioError(`truncated AU file: the header declares ${declared} bytes of audio but only ${available} are present`);
  }
  return { container: 'au', sampleRate, channelCount, frames, dataStart: dataOffset, format, littleEndian };
}

export interface AuEncodeOptions {
  /** Text stored between the header and the samples (padded with NULs to a multiple of 8 bytes). */
  annotation?: string;
  /** Write 0xffffffff as the data size, as streaming writers do. */
  unknownDataSize?: boolean;
}

/** Encodes channels (equal lengths, samples in [-1, 1]) as a big-endian Sun/NeXT .au file in `format`. */
export function encodeAu(channels: Float32Array[], sampleRate: number, format: SampleFormat, options: AuEncodeOptions = {}): Uint8Array {
  const encoding = Object.entries(AU_ENCODINGS).find(([, f]) => f === format)?.[0];
  if (encoding === undefined) throw new RangeError(`AU cannot hold ${format} samples`);
  const annotation = new TextEncoder().encode(options.annotation ?? '');
  const headerSize = 24 + Math.max(8, Math.ceil((annotation.length + 1) / 8) * 8);
  const samples = writeInterleaved(channels, format, false);
  const out = new Uint8Array(headerSize + samples.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x2e736e64); // '.snd'
  view.setUint32(4, headerSize);
  view.setUint32(8, options.unknownDataSize ? UNKNOWN_SIZE : samples.length);
  view.setUint32(12, Number(encoding));
  view.setUint32(16, sampleRate);
  view.setUint32(20, channels.length);
  out.set(annotation, 24);
  out.set(samples, headerSize);
  return out;
}

function magic(bytes: Uint8Array): string {
  return String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
}
