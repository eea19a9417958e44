import { MAX_AUDIO_SECONDS, tooLongError } from './limits.ts';
import { bytesPerSample, readFrames, writeInterleaved, type PcmLayout, type SampleFormat } from './pcm.ts';
import { AudioError, type DecodedAudio } from './types.ts';

/**
 * RIFF/WAVE (and RF64) files: PCM 8-bit unsigned and 16/24/32-bit signed (also narrower valid bits in a wider
 * container, e.g. 20-bit in 3 bytes), IEEE float 32/64, G.711 mu-law/A-law, and WAVE_FORMAT_EXTENSIBLE wrapping
 * any of those. Chunks are word-aligned (an odd-sized chunk is followed by a pad byte); unknown chunks are skipped.
 */

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && (ascii(bytes, 0) === 'RIFF' || ascii(bytes, 0) === 'RF64') && ascii(bytes, 8) === 'WAVE';
}

interface Chunk {
  id: string;
  start: number;
  /** The size the header declares (for RF64 'data', the 64-bit size from 'ds64'). */
  size: number;
}

export function parseWav(bytes: Uint8Array): DecodedAudio {
  const layout = wavLayout(bytes);
  return { channels: readFrames(bytes, layout), sampleRate: layout.sampleRate, format: 'wav' };
}

/** Reads and checks the header; throws AudioError for anything muzo cannot read, including a cut-off data chunk. */
export function wavLayout(bytes: Uint8Array): PcmLayout {
  if (!isWav(bytes)) throw new AudioError('not a WAV file (no RIFF/WAVE header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = listChunks(bytes, view);
  const fmt = chunks.find((c) => c.id === 'fmt ');
  if (!fmt) throw new AudioError('WAV file without a format (fmt) chunk');
  if (fmt.size < 16 || fmt.start + 16 > bytes.length) throw new AudioError('WAV format chunk is truncated');
  let formatTag = view.getUint16(fmt.start, true);
  const channelCount = view.getUint16(fmt.start + 2, true);
  const sampleRate = view.getUint32(fmt.start + 4, true);
  const blockAlign = view.getUint16(fmt.start + 12, true);
  const bits = view.getUint16(fmt.start + 14, true);
  if (formatTag === FORMAT_EXTENSIBLE) {
    if (fmt.size < 40 || fmt.start + 40 > bytes.length) throw new AudioError('WAVE_FORMAT_EXTENSIBLE format chunk is truncated');
    formatTag = view.getUint16(fmt.start + 24, true); // first two bytes of the sub-format GUID
  }
  if (channelCount === 0) throw new AudioError('the WAV header declares no channels');
  if (sampleRate === 0) throw new AudioError('the WAV header declares a sample rate of 0');
  const format = wavSampleFormat(formatTag, bits, blockAlign, channelCount);

  const data = chunks.find((c) => c.id === 'data');
  if (!data) throw new AudioError('WAV file without a data chunk');
  const available = bytes.length - data.start;
  // Streaming writers leave the size unknown: 0xffffffff, or 0 with samples following.
  const declared = data.size === 0xffffffff || (data.size === 0 && available > 0) ? available : data.size;
  const frames = Math.floor(declared / blockAlign);
  if (frames / sampleRate > MAX_AUDIO_SECONDS) throw tooLongError(frames / sampleRate);
  if (declared > available) {
    throw new AudioError(`truncated WAV file: the data chunk declares ${declared} bytes but only ${available} are present`);
  }
  return { container: 'wav', sampleRate, channelCount, frames, dataStart: data.start, format, littleEndian: true };
}

function listChunks(bytes: Uint8Array, view: DataView): Chunk[] {
  const rf64 = ascii(bytes, 0) === 'RF64';
  let rf64DataSize: number | null = null;
  const chunks: Chunk[] = [];
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    let size = view.getUint32(at + 4, true);
    const start = at + 8;
    if (rf64 && id === 'ds64' && start + 16 <= bytes.length) {
      rf64DataSize = view.getUint32(start + 8, true) + view.getUint32(start + 12, true) * 2 ** 32;
    }
    if (rf64 && id === 'data' && size === 0xffffffff && rf64DataSize !== null) size = rf64DataSize;
    chunks.push({ id, start, size });
    if (id === 'data') break; // everything needed comes before the samples; what follows them may be cut off
    at = start + size + (size % 2);
  }
  return chunks;
}

function wavSampleFormat(tag: number, bits: number, blockAlign: number, channelCount: number): SampleFormat {
  const width = blockAlign / channelCount;
  if (!Number.isInteger(width) || width === 0) {
    throw new AudioError(`inconsistent WAV header: block align ${blockAlign} for ${channelCount} channels`);
  }
  if (tag === FORMAT_PCM) {
    if (bits === 0 || bits > 32 || Math.ceil(bits / 8) > width) throw new AudioError(`unsupported WAV PCM sample size: ${bits} bits`);
    if (width === 1) return 'uint8';
    if (width > 4) throw new AudioError(`unsupported WAV PCM sample container: ${width} bytes`);
    return (['int16', 'int24', 'int32'] as const)[width - 2];
  }
  if (tag === FORMAT_FLOAT) {
    if (bits === 32 && width === 4) return 'float32';
    if (bits === 64 && width === 8) return 'float64';
    throw new AudioError(`unsupported WAV float sample size: ${bits} bits`);
  }
  if ((tag === FORMAT_MULAW || tag === FORMAT_ALAW) && width === 1) return tag === FORMAT_MULAW ? 'mulaw' : 'alaw';
  throw new AudioError(`unsupported WAV encoding (format tag 0x${tag.toString(16)}${tag === 2 || tag === 0x11 ? ', ADPCM' : ''})`);
}

export interface WavEncodeOptions {
  /** Write a WAVE_FORMAT_EXTENSIBLE header (sub-format GUID) instead of the plain one. */
  extensible?: boolean;
  /** Extra chunks written between 'fmt ' and 'data' (odd sizes get their pad byte). */
  extraChunks?: { id: string; data: Uint8Array }[];
}

const WAV_TAGS: Partial<Record<SampleFormat, number>> = {
  uint8: FORMAT_PCM,
  int16: FORMAT_PCM,
  int24: FORMAT_PCM,
  int32: FORMAT_PCM,
  float32: FORMAT_FLOAT,
  float64: FORMAT_FLOAT,
  mulaw: FORMAT_MULAW,
  alaw: FORMAT_ALAW,
};

/** Encodes channels (equal lengths, samples in [-1, 1]) as a WAV file in `format`. */
export function encodeWav(channels: Float32Array[], sampleRate: number, format: SampleFormat, options: WavEncodeOptions = {}): Uint8Array {
  const tag = WAV_TAGS[format];
  if (tag === undefined) throw new RangeError(`WAV cannot hold ${format} samples`);
  const width = bytesPerSample(format);
  const blockAlign = width * channels.length;
  const fmt = new Uint8Array(options.extensible ? 40 : tag === FORMAT_PCM ? 16 : 18);
  const f = new DataView(fmt.buffer);
  f.setUint16(0, options.extensible ? FORMAT_EXTENSIBLE : tag, true);
  f.setUint16(2, channels.length, true);
  f.setUint32(4, sampleRate, true);
  f.setUint32(8, sampleRate * blockAlign, true);
  f.setUint16(12, blockAlign, true);
  f.setUint16(14, width * 8, true);
  if (options.extensible) {
    f.setUint16(16, 22, true);
    f.setUint16(18, width * 8, true); // valid bits
    f.setUint32(20, 0, true); // channel mask: unspecified
    fmt.set(subFormatGuid(tag), 24);
  }
  const samples = writeInterleaved(channels, format, true);
  const chunks = [{ id: 'fmt ', data: fmt }, ...(options.extraChunks ?? [])];
  if (tag !== FORMAT_PCM) {
    const fact = new Uint8Array(4);
    new DataView(fact.buffer).setUint32(0, channels[0]?.length ?? 0, true);
    chunks.push({ id: 'fact', data: fact });
  }
  chunks.push({ id: 'data', data: samples });
  const size = 4 + chunks.reduce((n, c) => n + 8 + c.data.length + (c.data.length % 2), 0);
  const out = new Uint8Array(8 + size);
  const view = new DataView(out.buffer);
  writeAscii(out, 0, 'RIFF');
  view.setUint32(4, size, true);
  writeAscii(out, 8, 'WAVE');
  let at = 12;
  for (const chunk of chunks) {
    writeAscii(out, at, chunk.id);
    view.setUint32(at + 4, chunk.data.length, true);
    out.set(chunk.data, at + 8);
    at += 8 + chunk.data.length + (chunk.data.length % 2);
  }
  return out;
}

/** KSDATAFORMAT_SUBTYPE_*: the format tag followed by the fixed GUID tail 00000000-0010-8000-00aa00389b71. */
function subFormatGuid(tag: number): Uint8Array {
  return Uint8Array.of(tag & 0xff, tag >> 8, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71);
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

function writeAscii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}
