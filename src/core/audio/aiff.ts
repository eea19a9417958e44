import { MAX_AUDIO_SECONDS, tooLongError } from './limits.ts';
import { bytesPerSample, readFrames, writeInterleaved, type PcmLayout, type SampleFormat } from './pcm.ts';
import { AudioError, type DecodedAudio } from './types.ts';

/**
 * AIFF and AIFF-C (Apple): an IFF 'FORM' of big-endian chunks. 'COMM' gives channels, frame count, sample size
 * and the sample rate as an 80-bit extended float; 'SSND' holds interleaved frames after an offset. AIFF samples
 * are big-endian signed integers (narrower sizes sit left-justified in whole bytes); AIFF-C adds a compression
 * type: 'NONE', 'sowt' (little-endian), 'fl32'/'fl64' (float), 'ulaw'/'alaw' (G.711).
 */

export function isAiff(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0) === 'FORM' && (ascii(bytes, 8) === 'AIFF' || ascii(bytes, 8) === 'AIFC');
}

const COMPRESSIONS: Record<string, { format?: SampleFormat; littleEndian: boolean }> = {
  NONE: { littleEndian: false },
  twos: { littleEndian: false },
  sowt: { littleEndian: true },
  fl32: { format: 'float32', littleEndian: false },
  FL32: { format: 'float32', littleEndian: false },
  fl64: { format: 'float64', littleEndian: false },
  FL64: { format: 'float64', littleEndian: false },
  ulaw: { format: 'mulaw', littleEndian: false },
  ULAW: { format: 'mulaw', littleEndian: false },
  alaw: { format: 'alaw', littleEndian: false },
  ALAW: { format: 'alaw', littleEndian: false },
};

export function parseAiff(bytes: Uint8Array): DecodedAudio {
  const layout = aiffLayout(bytes);
  return { channels: readFrames(bytes, layout), sampleRate: layout.sampleRate, format: 'aiff' };
}

/** Reads and checks the header; throws AudioError for anything muzo cannot read, including cut-off sound data. */
export function aiffLayout(bytes: Uint8Array): PcmLayout {
  if (!isAiff(bytes)) throw new AudioError('not an AIFF file (no FORM/AIFF header)');
  const aifc = ascii(bytes, 8) === 'AIFC';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let comm: number | null = null;
  let commSize = 0;
  let ssnd: { start: number; size: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4);
    if (id === 'COMM') [comm, commSize] = [at + 8, size];
    if (id === 'SSND') ssnd = { start: at + 8, size };
    at += 8 + size + (size % 2);
  }
  if (comm === null) throw new AudioError('AIFF file without a COMM chunk');
  if (commSize < (aifc ? 22 : 18) || comm + 18 > bytes.length) throw new AudioError('AIFF COMM chunk is truncated');
  const channelCount = view.getUint16(comm);
  const frames = view.getUint32(comm + 2);
  const bits = view.getUint16(comm + 6);
  const sampleRate = readExtended(view, comm + 8);
  const compression = aifc && comm + 22 <= bytes.length ? ascii(bytes, comm + 18) : 'NONE';
  const codec = COMPRESSIONS[compression];
  if (!codec) throw new AudioError(`unsupported AIFF-C compression '${compression}'`);
  if (channelCount === 0) throw new AudioError('the AIFF header declares no channels');
  if (!(sampleRate > 0 && Number.isFinite(sampleRate))) throw new AudioError(`the AIFF header declares an invalid sample rate (${sampleRate})`);
  const format = codec.format ?? integerFormat(bits);
  if (frames / sampleRate > MAX_AUDIO_SECONDS) throw tooLongError(frames / sampleRate);
  const layout = { container: 'aiff', sampleRate, channelCount, frames, dataStart: 0, format, littleEndian: codec.littleEndian };
  if (frames === 0) return layout;
  if (!ssnd) throw new AudioError('AIFF file without a sound data (SSND) chunk');
  const dataStart = ssnd.start + 8 + (ssnd.start + 4 <= bytes.length ? view.getUint32(ssnd.start) : 0);
  const needed = frames * channelCount * bytesPerSample(format);
  const available = bytes.length - dataStart;
  if (needed > available) {
    throw new AudioError(`truncated AIFF file: ${frames} frames need ${needed} bytes of sound data but only ${Math.max(0, available)} are present`);
  }
  return { ...layout, dataStart };
}

function integerFormat(bits: number): SampleFormat {
  if (bits >= 1 && bits <= 8) return 'int8';
  if (bits <= 16) return 'int16';
  if (bits <= 24) return 'int24';
  if (bits <= 32) return 'int32';
  throw new AudioError(`unsupported AIFF sample size: ${bits} bits`);
}

/** IEEE 754 80-bit extended: sign and 15-bit exponent, then a 64-bit mantissa with an explicit integer bit. */
function readExtended(view: DataView, at: number): number {
  const signExponent = view.getUint16(at);
  const high = view.getUint32(at + 2);
  const low = view.getUint32(at + 6);
  const exponent = (signExponent & 0x7fff) - 16383;
  const magnitude = (high * 2 ** 32 + low) * 2 ** (exponent - 63);
  return signExponent & 0x8000 ? -magnitude : magnitude;
}

function writeExtended(view: DataView, at: number, value: number): void {
  const exponent = Math.floor(Math.log2(value));
  const mantissa = value / 2 ** exponent; // in [1, 2)
  view.setUint16(at, exponent + 16383);
  view.setUint32(at + 2, Math.floor(mantissa * 2 ** 31));
  view.setUint32(at + 6, Math.floor((mantissa * 2 ** 31 - Math.floor(mantissa * 2 ** 31)) * 2 ** 32));
}

const AIFC_TYPES: Partial<Record<SampleFormat, string>> = { float32: 'fl32', float64: 'fl64', mulaw: 'ulaw', alaw: 'alaw' };

/**
 * Encodes channels (equal lengths, samples in [-1, 1]) as AIFF (8/16/24/32-bit integers) or AIFF-C (float32,
 * float64, mu-law, A-law).
 */
export function encodeAiff(channels: Float32Array[], sampleRate: number, format: SampleFormat): Uint8Array {
  if (format === 'uint8') throw new RangeError('AIFF cannot hold unsigned 8-bit samples');
  const compression = AIFC_TYPES[format];
  const frames = channels[0]?.length ?? 0;
  const samples = writeInterleaved(channels, format, false);
  const commSize = compression ? 24 : 18; // AIFF-C: + compression type and an empty name (pstring padded to even)
  const chunks = (compression ? 12 : 0) + 8 + commSize + 8 + 8 + samples.length + (samples.length % 2);
  const out = new Uint8Array(12 + chunks);
  const view = new DataView(out.buffer);
  writeAscii(out, 0, 'FORM');
  view.setUint32(4, out.length - 8);
  writeAscii(out, 8, compression ? 'AIFC' : 'AIFF');
  let at = 12;
  if (compression) {
    writeAscii(out, at, 'FVER');
    view.setUint32(at + 4, 4);
    view.setUint32(at + 8, 0xa2805140); // AIFF-C version 1
    at += 12;
  }
  writeAscii(out, at, 'COMM');
  view.setUint32(at + 4, commSize);
  view.setUint16(at + 8, channels.length);
  view.setUint32(at + 10, frames);
  view.setUint16(at + 14, bytesPerSample(format) * 8);
  writeExtended(view, at + 16, sampleRate);
  if (compression) writeAscii(out, at + 26, compression);
  at += 8 + commSize;
  writeAscii(out, at, 'SSND');
  view.setUint32(at + 4, 8 + samples.length);
  out.set(samples, at + 16);
  return out;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

function writeAscii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}
