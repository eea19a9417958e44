import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { aiffLayout, isAiff } from './aiff.ts';
import { auLayout, isAu } from './au.ts';
import { MAX_AUDIO_SECONDS, tooLongError } from './limits.ts';
import { readFrames, type PcmLayout } from './pcm.ts';
import { AnalysisCollector, DEFAULT_ANALYSIS_POLICY, type AnalysisPolicy, type SourceShape } from './prepare.ts';
import { AudioError, type DecodedAudio, type MonoPcm } from './types.ts';
import { isWav, wavLayout } from './wav.ts';

/**
 * Decoding, picking the decoder by the file's magic bytes (never its name): WAV, AU and AIFF by the TypeScript
 * parsers; FLAC, MP3 and Ogg Vorbis by wasm decoders, fed in chunks. Works in Node, workers and the main thread.
 * Every decoder reports what the header promises first (a promise of more than 3 hours is rejected before any
 * sample is allocated), then its frames in order, to a sink: decodeAudioBytes keeps them all, decodeForAnalysis
 * keeps only what the long-file policy analyses, mixed to mono.
 */

/** Decodes a whole file. */
export async function decodeAudioBytes(bytes: Uint8Array): Promise<DecodedAudio> {
  const sink = new WholeFileSink();
  const format = await decodeInto(bytes, sink);
  return { channels: sink.channels(), sampleRate: sink.shape.sampleRate, format };
}

/** What decodeForAnalysis read: the file's format, sample rate, channel count and duration in seconds. */
export interface AnalysedSource {
  format: string;
  sampleRate: number;
  channels: number;
  duration: number;
}

/**
 * Decodes a file straight into the analysis PCM (as prepareForAnalysis(await decodeAudioBytes(bytes)) gives)
 * without holding the whole decoded file: memory is the file's bytes plus the mono audio the policy keeps.
 */
export async function decodeForAnalysis(
  bytes: Uint8Array,
  policy: AnalysisPolicy = DEFAULT_ANALYSIS_POLICY,
): Promise<{ source: AnalysedSource; pcm: MonoPcm; notes: string[] }> {
  const sink = new AnalysisSink(policy);
  const format = await decodeInto(bytes, sink);
  const { sampleRate, channelCount } = sink.shape;
  const frames = sink.collector.frames;
  const { pcm, notes } = sink.collector.finish();
  return { source: { format, sampleRate, channels: channelCount, duration: frames / sampleRate }, pcm, notes };
}

/** Where decoders put what they decode. */
interface FrameSink {
  /** Called once, before any frames, with what the header promises (`frames` may be an estimate, or 0 if unknown). */
  begin(shape: SourceShape): void;
  /** Frame ranges the sink needs, known after `begin`: uncompressed readers skip the rest. */
  readonly regions: [number, number][];
  /** The next decoded frames (one array per channel), starting at frame `at`. */
  push(channels: Float32Array[], at?: number): void;
}

class WholeFileSink implements FrameSink {
  shape: SourceShape = { sampleRate: 0, channelCount: 0, frames: 0 };
  readonly regions: [number, number][] = [[0, Infinity]];
  private chunks: Float32Array[][] = [];

  begin(shape: SourceShape): void {
    if (shape.frames / shape.sampleRate > MAX_AUDIO_SECONDS) throw tooLongError(shape.frames / shape.sampleRate);
    this.shape = shape;
  }

  push(channels: Float32Array[]): void {
    this.chunks.push(channels);
  }

  channels(): Float32Array[] {
    if (this.chunks.length === 1) return this.chunks[0];
    return Array.from({ length: this.shape.channelCount }, (_, c) => {
      const out = new Float32Array(this.chunks.reduce((n, chunk) => n + chunk[c].length, 0));
      let at = 0;
      for (const chunk of this.chunks) {
        out.set(chunk[c], at);
        at += chunk[c].length;
      }
      return out;
    });
  }
}

class AnalysisSink implements FrameSink {
  shape: SourceShape = { sampleRate: 0, channelCount: 0, frames: 0 };
  private analysis: AnalysisCollector | null = null;

  constructor(private readonly policy: AnalysisPolicy) {}

  get collector(): AnalysisCollector {
    if (!this.analysis) throw new AudioError('the decoder produced no audio');
    return this.analysis;
  }

  get regions(): [number, number][] {
    return this.collector.regions;
  }

  begin(shape: SourceShape): void {
    this.shape = shape;
    this.analysis = new AnalysisCollector(shape, this.policy);
  }

  push(channels: Float32Array[], at?: number): void {
    this.collector.push(channels, at);
  }
}

/** Decodes `bytes` into the sink; returns the format's name. */
async function decodeInto(bytes: Uint8Array, sink: FrameSink): Promise<string> {
  if (bytes.length === 0) throw new AudioError('the file is empty');
  if (isWav(bytes)) return readPcm(bytes, wavLayout(bytes), sink);
  if (isAu(bytes)) return readPcm(bytes, auLayout(bytes), sink);
  if (isAiff(bytes)) return readPcm(bytes, aiffLayout(bytes), sink);
  if (startsWith(bytes, 'ID3')) return decodeAfterId3(bytes, sink);
  if (startsWith(bytes, 'fLaC')) return decodeFlac(bytes, sink);
  if (startsWith(bytes, 'OggS')) return decodeOgg(bytes, sink);
  if (startsWith(bytes, 'ftyp', 4)) throw new AudioError(unsupported('MP4/M4A (AAC or ALAC)'));
  if (isAdtsHeader(bytes, 0)) throw new AudioError(unsupported('AAC (ADTS)'));
  if (parseMpegFrameHeader(bytes, 0)) return decodeMp3(bytes, sink);
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

/** Frames read at once from an uncompressed file, and bytes fed at once to a wasm decoder. */
const PCM_BLOCK_FRAMES = 1 << 16;
const COMPRESSED_CHUNK_BYTES = 1 << 20;

/** Uncompressed containers: only the frames the sink needs are read. */
function readPcm(bytes: Uint8Array, layout: PcmLayout, sink: FrameSink): string {
  sink.begin({ sampleRate: layout.sampleRate, channelCount: layout.channelCount, frames: layout.frames });
  for (const [start, end] of sink.regions) {
    const stop = Math.min(end, layout.frames);
    for (let at = start; at < stop; at += PCM_BLOCK_FRAMES) {
      sink.push(readFrames(bytes, layout, at, Math.min(stop, at + PCM_BLOCK_FRAMES)), at);
    }
  }
  if (layout.frames === 0) sink.push(Array.from({ length: layout.channelCount }, () => new Float32Array(0)), 0);
  return layout.container;
}

/** An ID3v2 tag (usually before MP3, sometimes before FLAC): skip it and look at what follows. */
async function decodeAfterId3(bytes: Uint8Array, sink: FrameSink): Promise<string> {
  if (bytes.length < 10) throw new AudioError('truncated file: an ID3 tag header and nothing else');
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  const footer = bytes[5] & 0x10 ? 10 : 0;
  const rest = bytes.subarray(Math.min(bytes.length, 10 + size + footer));
  if (rest.length === 0) throw new AudioError('the file holds an ID3 tag but no audio');
  if (startsWith(rest, 'fLaC')) return decodeFlac(rest, sink);
  // MP3 frames may start a few padding bytes after the tag: let the MP3 decoder resynchronise.
  const syncAt = findMpegSync(rest, 0, 4096);
  if (syncAt >= 0) return decodeMp3(rest.subarray(syncAt), sink);
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

// The FLAC and Vorbis decoders reset themselves in flush(); the MP3 one needs an explicit reset.
const flacDecoders = new DecoderPool(() => new FLACDecoder());
const vorbisDecoders = new DecoderPool(() => new OggVorbisDecoder());
const mpegDecoders = new DecoderPool(() => new MPEGDecoder({ enableGapless: true }));
const alreadyReset = async (): Promise<void> => {};

/** Feeds `bytes` to a streaming decoder chunk by chunk. */
async function feedChunks<T>(bytes: Uint8Array, decode: (chunk: Uint8Array) => T | Promise<T>, take: (out: T) => void): Promise<void> {
  for (let at = 0; at < bytes.length; at += COMPRESSED_CHUNK_BYTES) take(await decode(bytes.subarray(at, at + COMPRESSED_CHUNK_BYTES)));
}

// ---------- FLAC ----------

interface StreamInfo {
  sampleRate: number;
  channelCount: number;
  /** 0 when the encoder did not know it. */
  totalFrames: number;
}

async function decodeFlac(bytes: Uint8Array, sink: FrameSink): Promise<string> {
  const info = parseFlacStreamInfo(bytes);
  if (!info) throw new AudioError('truncated or corrupt FLAC file: no STREAMINFO block');
  sink.begin({ sampleRate: info.sampleRate, channelCount: info.channelCount, frames: info.totalFrames });
  let decoded = 0;
  let firstError: string | null = null;
  const take = (out: { channelData: Float32Array[]; samplesDecoded: number; bitDepth: number; errors: { message: string }[] }): void => {
    firstError ??= out.errors.length > 0 ? oneLine(out.errors[0].message) : null;
    if (out.samplesDecoded === 0) return;
    sink.push(out.channelData.map((c) => rescaleFlacSamples(c, out.bitDepth)));
    decoded += out.samplesDecoded;
  };
  await flacDecoders.use(async (d) => {
    await feedChunks(bytes, (chunk) => d.decode(chunk), take);
    take(await d.flush());
  }, alreadyReset);
  if (decoded === 0) throw new AudioError(`FLAC decoding failed: ${firstError ?? 'no audio frames (truncated or corrupt file)'}`);
  if (info.totalFrames > decoded) {
    const problem = firstError ? `corrupt FLAC file (${firstError})` : 'truncated FLAC file';
    throw new AudioError(`${problem}: ${decoded} of the ${info.totalFrames} samples its header declares could be decoded`);
  }
  return 'flac';
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

/** STREAMINFO, the first metadata block: sample rate (20 bits), channels - 1 (3 bits), total frames (36 bits). */
function parseFlacStreamInfo(bytes: Uint8Array): StreamInfo | null {
  if (bytes.length < 8 + 34 || (bytes[4] & 0x7f) !== 0) return null;
  const s = 8;
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  const channelCount = ((bytes[s + 12] >> 1) & 7) + 1;
  const totalFrames = (bytes[s + 13] & 0x0f) * 2 ** 32 + ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) + bytes[s + 17];
  return sampleRate > 0 ? { sampleRate, channelCount, totalFrames } : null;
}

// ---------- Ogg (Vorbis) ----------

async function decodeOgg(bytes: Uint8Array, sink: FrameSink): Promise<string> {
  // The first page carries the codec's identification packet.
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  if (indexOfAscii(head, 'OpusHead') >= 0) throw new AudioError(unsupported('Ogg Opus'));
  if (indexOfAscii(head, 'fLaC') >= 0) throw new AudioError(unsupported('Ogg FLAC'));
  const vorbisAt = indexOfAscii(head, '\x01vorbis');
  if (vorbisAt < 0 || vorbisAt + 16 > head.length) throw new AudioError('an Ogg file without a Vorbis stream (unknown codec)');
  const channelCount = head[vorbisAt + 11];
  const sampleRate = readUint32LE(head, vorbisAt + 12);
  sink.begin({ sampleRate, channelCount, frames: lastOggGranule(bytes) });
  let decoded = 0;
  let firstError: string | null = null;
  const take = (out: { channelData: Float32Array[]; samplesDecoded: number; errors: { message: string }[] }): void => {
    firstError ??= out.errors.length > 0 ? oneLine(out.errors[0].message) : null;
    if (out.samplesDecoded === 0) return;
    sink.push(out.channelData);
    decoded += out.samplesDecoded;
  };
  await vorbisDecoders.use(async (d) => {
    await feedChunks(bytes, (chunk) => d.decode(chunk), take);
    take(await d.flush());
  }, alreadyReset);
  if (decoded === 0) throw new AudioError(`Ogg Vorbis decoding failed: ${firstError ?? 'no audio (truncated or corrupt file)'}`);
  return 'ogg';
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

/**
 * The Xing/Info frame (LAME writes one first): the stream's frame count and, from LAME's extension, the encoder
 * delay and padding that gapless decoding trims. Null without one.
 */
function xingInfo(bytes: Uint8Array): { frames: number; delay: number; padding: number } | null {
  const window = bytes.subarray(0, Math.min(bytes.length, 200));
  const tag = Math.max(indexOfAscii(window, 'Xing'), indexOfAscii(window, 'Info'));
  if (tag < 0 || tag + 12 > window.length) return null;
  const flags = window[tag + 7];
  if (!(flags & 1)) return null;
  const frames = ((window[tag + 8] << 24) | (window[tag + 9] << 16) | (window[tag + 10] << 8) | window[tag + 11]) >>> 0;
  // optional fields after the flags: frames (4), bytes (4), table of contents (100), quality (4)
  const lame = tag + 8 + 4 + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  if (lame + 24 > bytes.length || !startsWith(bytes, 'LAME', lame)) return { frames, delay: 0, padding: 0 };
  const delay = (bytes[lame + 21] << 4) | (bytes[lame + 22] >> 4);
  const padding = ((bytes[lame + 22] & 0x0f) << 8) | bytes[lame + 23];
  return { frames, delay, padding };
}

async function decodeMp3(bytes: Uint8Array, sink: FrameSink): Promise<string> {
  const header = parseMpegFrameHeader(bytes, 0);
  if (!header) throw new AudioError('not an MPEG audio stream');
  const xing = xingInfo(bytes);
  // Without a Xing/Info frame count, the first frame's bit rate gives an estimate (exact for constant bit rates).
  const promised = xing
    ? Math.max(0, xing.frames * header.samplesPerFrame - xing.delay - xing.padding)
    : Math.round(((bytes.length * 8) / header.bitrate) * header.sampleRate);
  sink.begin({ sampleRate: header.sampleRate, channelCount: header.channels, frames: promised });
  let decoded = 0;
  let firstError: string | null = null;
  const take = (out: { channelData: Float32Array[]; samplesDecoded: number; errors: { message: string }[] }): void => {
    firstError ??= out.errors.length > 0 ? oneLine(out.errors[0].message) : null;
    if (out.samplesDecoded === 0) return;
    // mpg123 always returns two channels; a mono stream's two are identical.
    sink.push(header.channels === 1 ? out.channelData.slice(0, 1) : out.channelData);
    decoded += out.samplesDecoded;
  };
  // mpg123's gapless mode trims the encoder delay and padding that a LAME/Xing header records.
  await mpegDecoders.use(
    (d) => feedChunks(bytes, (chunk) => d.decode(chunk), take),
    (d) => d.reset(),
  );
  if (decoded === 0) throw new AudioError(`MP3 decoding failed: ${firstError ?? 'no audio frames (truncated or corrupt file)'}`);
  return 'mp3';
}
