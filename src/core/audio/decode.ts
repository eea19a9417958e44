import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { isAiff, parseAiff } from './aiff.ts';
import { isAu, parseAu } from './au.ts';
import { MAX_AUDIO_SECONDS, tooLongError } from './limits.ts';
import { AudioError, type DecodedAudio } from './types.ts';
import { isWav, parseWav } from './wav.ts';

/**
 * Decodes a whole audio file from its bytes, picking the decoder by the file's magic bytes (never its name).
 * Works in Node, workers and the main thread (the compressed formats use wasm decoders).
 */
export async function decodeAudioBytes(bytes: Uint8Array): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new AudioError('the file is empty');
  if (isWav(bytes)) return parseWav(bytes);
  if (isAu(bytes)) return parseAu(bytes);
  if (isAiff(bytes)) return parseAiff(bytes);
  if (startsWith(bytes, 'ID3')) return decodeAfterId3(bytes);
  if (startsWith(bytes, 'fLaC')) return decodeFlac(bytes);
  if (startsWith(bytes, 'OggS')) return decodeOgg(bytes);
  if (startsWith(bytes, 'ftyp', 4)) throw new AudioError(unsupported('MP4/M4A (AAC or ALAC)'));
  if (isAdtsHeader(bytes, 0)) throw new AudioError(unsupported('AAC (ADTS)'));
  if (parseMpegFrameHeader(bytes, 0)) return decodeMp3(bytes);
  throw new AudioError('unknown or unsupported audio format (not WAV, AU, AIFF, FLAC, MP3 or Ogg Vorbis)');
}

function unsupported(what: string): string {
  return `${what} audio is not supported; convert it to WAV, FLAC, MP3 or Ogg Vorbis`;
}

/** The wasm decoders' messages span lines; a per-file message is one line. */
function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

function startsWith(bytes: Uint8Array, ascii: string, offset = 0): boolean {
  if (bytes.length < offset + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[offset + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

function checkPromisedLength(frames: number, sampleRate: number): void {
  if (frames / sampleRate > MAX_AUDIO_SECONDS) throw tooLongError(frames / sampleRate);
}

/** An ID3v2 tag (usually before MP3, sometimes before FLAC): skip it and look at what follows. */
async function decodeAfterId3(bytes: Uint8Array): Promise<DecodedAudio> {
  if (bytes.length < 10) throw new AudioError('truncated file: an ID3 tag header and nothing else');
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  const footer = bytes[5] & 0x10 ? 10 : 0;
  const rest = bytes.subarray(Math.min(bytes.length, 10 + size + footer));
  if (rest.length === 0) throw new AudioError('the file holds an ID3 tag but no audio');
  if (startsWith(rest, 'fLaC')) return decodeFlac(rest);
  // MP3 frames may start a few padding bytes after the tag: let the MP3 decoder resynchronise.
  const syncAt = findMpegSync(rest, 0, 4096);
  if (syncAt >= 0) return decodeMp3(rest.subarray(syncAt));
  throw new AudioError('an ID3 tag followed by no audio format muzo knows');
}

// ---------- decoder instances, kept for reuse (their wasm instantiation costs a few ms each) ----------

interface WasmDecoder {
  ready: Promise<void>;
  free(): void;
}

/** Idle decoders of one kind: a file takes one (or a new one) and gives it back when done. */
class DecoderPool<D extends WasmDecoder> {
  private readonly idle: D[] = [];
  constructor(
    private readonly create: () => D,
    private readonly maxIdle = 2,
  ) {}

  async use<T>(work: (decoder: D) => Promise<T>, resetAfter: (decoder: D) => Promise<void>): Promise<T> {
    const decoder = this.idle.pop() ?? this.create();
    let reusable = false;
    try {
      await decoder.ready;
      const result = await work(decoder);
      await resetAfter(decoder);
      reusable = true;
      return result;
    } finally {
      if (reusable && this.idle.length < this.maxIdle) this.idle.push(decoder);
      else decoder.free();
    }
  }
}

// The wasm decoders reset themselves at the end of decodeFile; the MP3 one needs an explicit reset.
const flacDecoders = new DecoderPool(() => new FLACDecoder());
const vorbisDecoders = new DecoderPool(() => new OggVorbisDecoder());
const mpegDecoders = new DecoderPool(() => new MPEGDecoder({ enableGapless: true }));
const alreadyReset = async (): Promise<void> => {};

// ---------- FLAC ----------

async function decodeFlac(bytes: Uint8Array): Promise<DecodedAudio> {
  const info = parseFlacStreamInfo(bytes);
  if (info && info.totalFrames > 0) checkPromisedLength(info.totalFrames, info.sampleRate);
  const out = await flacDecoders.use((d) => d.decodeFile(bytes), alreadyReset);
  if (out.samplesDecoded === 0) {
    throw new AudioError(`FLAC decoding failed: ${out.errors.length > 0 ? oneLine(out.errors[0].message) : 'no audio frames (truncated or corrupt file)'}`);
  }
  if (info && info.totalFrames > out.samplesDecoded) {
    const problem = out.errors.length > 0 ? `corrupt FLAC file (${oneLine(out.errors[0].message)})` : 'truncated FLAC file';
    throw new AudioError(`${problem}: ${out.samplesDecoded} of the ${info.totalFrames} samples its header declares could be decoded`);
  }
  return { channels: out.channelData.map((c) => rescaleFlacSamples(c, out.bitDepth)), sampleRate: out.sampleRate, format: 'flac' };
}

/**
 * The wasm FLAC decoder divides b-bit integers by 2^(b-1) - 1; WAV readers (soundfile, librosa, the browsers)
 * divide by 2^(b-1). Rescale in place so a FLAC reads exactly like the WAV it was made from.
 */
function rescaleFlacSamples(samples: Float32Array, bitDepth: number): Float32Array {
  const decoderScale = 2 ** (bitDepth - 1) - 1;
  const wavScale = 2 ** (bitDepth - 1);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i] * decoderScale) / wavScale;
  return samples;
}

/** STREAMINFO is the first metadata block: sample rate (20 bits) and total frames (36 bits) come from it. */
function parseFlacStreamInfo(bytes: Uint8Array): { sampleRate: number; totalFrames: number } | null {
  if (bytes.length < 8 + 34 || (bytes[4] & 0x7f) !== 0) return null;
  const s = 8;
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  const totalFrames = (bytes[s + 13] & 0x0f) * 2 ** 32 + ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) + bytes[s + 17];
  return sampleRate > 0 ? { sampleRate, totalFrames } : null;
}

// ---------- Ogg (Vorbis) ----------

async function decodeOgg(bytes: Uint8Array): Promise<DecodedAudio> {
  // The first page carries the codec's identification packet.
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  if (indexOfAscii(head, 'OpusHead') >= 0) throw new AudioError(unsupported('Ogg Opus'));
  if (indexOfAscii(head, 'fLaC') >= 0) throw new AudioError(unsupported('Ogg FLAC'));
  const vorbisAt = indexOfAscii(head, '\x01vorbis');
  if (vorbisAt < 0) throw new AudioError('an Ogg file without a Vorbis stream (unknown codec)');
  const sampleRate = readUint32LE(head, vorbisAt + 12);
  const lastGranule = lastOggGranule(bytes);
  if (sampleRate > 0 && lastGranule > 0) checkPromisedLength(lastGranule, sampleRate);
  const out = await vorbisDecoders.use((d) => d.decodeFile(bytes), alreadyReset);
  if (out.samplesDecoded === 0) {
    throw new AudioError(`Ogg Vorbis decoding failed: ${out.errors.length > 0 ? oneLine(out.errors[0].message) : 'no audio (truncated or corrupt file)'}`);
  }
  return { channels: out.channelData, sampleRate: out.sampleRate, format: 'ogg' };
}

/** Granule position (= frames so far) of the last Ogg page, found by scanning back from the end. */
function lastOggGranule(bytes: Uint8Array): number {
  for (let i = bytes.length - 27; i >= Math.max(0, bytes.length - 65536); i--) {
    if (bytes[i] === 0x4f && startsWith(bytes, 'OggS', i)) {
      return readUint32LE(bytes, i + 6) + readUint32LE(bytes, i + 10) * 2 ** 32;
    }
  }
  return 0;
}

function indexOfAscii(bytes: Uint8Array, ascii: string): number {
  for (let i = 0; i + ascii.length <= bytes.length; i++) if (startsWith(bytes, ascii, i)) return i;
  return -1;
}

function readUint32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

// ---------- MP3 (MPEG-1/2/2.5 layers I-III) ----------

interface MpegFrameHeader {
  sampleRate: number;
  bitrate: number;
  channels: number;
  samplesPerFrame: number;
}

const MPEG_SAMPLE_RATES = [44100, 48000, 32000];
// kbit/s by [version is MPEG-1][layer 1..3][index]
const MPEG1_BITRATES = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
];
const MPEG2_BITRATES = [
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];

function parseMpegFrameHeader(bytes: Uint8Array, at: number): MpegFrameHeader | null {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return null;
  const versionBits = (bytes[at + 1] >> 3) & 3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
  const layerBits = (bytes[at + 1] >> 1) & 3; // 1: layer III, 2: layer II, 3: layer I
  const bitrateIndex = bytes[at + 2] >> 4;
  const rateIndex = (bytes[at + 2] >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 15 || bitrateIndex === 0 || rateIndex === 3) return null;
  const layer = 4 - layerBits;
  const mpeg1 = versionBits === 3;
  const sampleRate = MPEG_SAMPLE_RATES[rateIndex] / (mpeg1 ? 1 : versionBits === 2 ? 2 : 4);
  const bitrate = (mpeg1 ? MPEG1_BITRATES : MPEG2_BITRATES)[layer - 1][bitrateIndex] * 1000;
  const channels = bytes[at + 3] >> 6 === 3 ? 1 : 2;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152;
  return { sampleRate, bitrate, channels, samplesPerFrame };
}

function isAdtsHeader(bytes: Uint8Array, at: number): boolean {
  return at + 2 <= bytes.length && bytes[at] === 0xff && (bytes[at + 1] & 0xf6) === 0xf0;
}

function findMpegSync(bytes: Uint8Array, from: number, within: number): number {
  const end = Math.min(bytes.length - 4, from + within);
  for (let i = from; i <= end; i++) if (parseMpegFrameHeader(bytes, i)) return i;
  return -1;
}

/** Frame count from a Xing/Info header (LAME writes one into the first frame), else null. */
function xingFrameCount(bytes: Uint8Array, at: number): number | null {
  const window = bytes.subarray(at, Math.min(bytes.length, at + 200));
  const tag = Math.max(indexOfAscii(window, 'Xing'), indexOfAscii(window, 'Info'));
  if (tag < 0 || tag + 12 > window.length || !(window[tag + 7] & 1)) return null;
  return ((window[tag + 8] << 24) | (window[tag + 9] << 16) | (window[tag + 10] << 8) | window[tag + 11]) >>> 0;
}

async function decodeMp3(bytes: Uint8Array): Promise<DecodedAudio> {
  const header = parseMpegFrameHeader(bytes, 0);
  if (!header) throw new AudioError('not an MPEG audio stream');
  const frames = xingFrameCount(bytes, 0);
  const promised = frames !== null ? frames * header.samplesPerFrame : ((bytes.length * 8) / header.bitrate) * header.sampleRate;
  checkPromisedLength(promised, header.sampleRate);
  // mpg123's gapless mode trims the encoder delay and padding that a LAME/Xing header records.
  const out = await mpegDecoders.use(
    async (d) => d.decode(bytes),
    (d) => d.reset(),
  );
  if (out.samplesDecoded === 0) {
    throw new AudioError(`MP3 decoding failed: ${out.errors.length > 0 ? oneLine(out.errors[0].message) : 'no audio frames (truncated or corrupt file)'}`);
  }
  // mpg123 always returns two channels; a mono stream's two are identical.
  const channels = header.channels === 1 ? out.channelData.slice(0, 1) : out.channelData;
  return { channels, sampleRate: out.sampleRate, format: 'mp3' };
}
