/**
 * Uncompressed sample formats shared by the WAV and AU parsers/encoders: reading interleaved frames into
 * Float32 channels in [-1, 1] and quantizing them back, plus G.711 mu-law and A-law.
 *
 * Conventions (those of libsndfile and soundfile): an N-bit integer sample v reads as v / 2^(N-1); 8-bit
 * unsigned u reads as (u - 128) / 128; G.711 codes expand to 16-bit values then read as v / 32768. Writing
 * rounds to the nearest step and clips to the format's range, so a value read from a format writes back to the
 * same bytes.
 */

export type SampleFormat = 'uint8' | 'int8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64' | 'mulaw' | 'alaw';

/** Where an uncompressed container (WAV, AU, AIFF) keeps its interleaved frames, and how they are stored. */
export interface PcmLayout {
  container: string;
  sampleRate: number;
  channelCount: number;
  frames: number;
  /** Byte offset of the first frame. */
  dataStart: number;
  format: SampleFormat;
  littleEndian: boolean;
}

/** Reads frames [start, end) of a layout into Float32 channels. */
export function readFrames(bytes: Uint8Array, layout: PcmLayout, start = 0, end = layout.frames): Float32Array[] {
  const frameBytes = bytesPerSample(layout.format) * layout.channelCount;
  return readInterleaved(bytes, layout.dataStart + start * frameBytes, end - start, layout.channelCount, layout.format, layout.littleEndian);
}

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function bytesPerSample(format: SampleFormat): number {
  switch (format) {
    case 'uint8':
    case 'int8':
    case 'mulaw':
    case 'alaw':
      return 1;
    case 'int16':
      return 2;
    case 'int24':
      return 3;
    case 'int32':
    case 'float32':
      return 4;
    case 'float64':
      return 8;
  }
}

/**
 * Reads `frames` interleaved frames of `channelCount` samples from `bytes` at `offset`. `containerBytes` is the
 * space one sample takes when it is wider than the format (e.g. 20-bit audio in 3 bytes reads as int24).
 */
export function readInterleaved(
  bytes: Uint8Array,
  offset: number,
  frames: number,
  channelCount: number,
  format: SampleFormat,
  littleEndian: boolean,
): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = bytesPerSample(format);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  if (format === 'int16' && littleEndian === HOST_LITTLE_ENDIAN && (bytes.byteOffset + offset) % 2 === 0) {
    // the commonest layout, read through an aligned typed-array view (no per-sample DataView call)
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset + offset, frames * channelCount);
    for (let c = 0; c < channelCount; c++) {
      const channel = channels[c];
      for (let f = 0, i = c; f < frames; f++, i += channelCount) channel[f] = samples[i] / 32768;
    }
    return channels;
  }
  const read = sampleReader(view, format, littleEndian);
  let at = offset;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channelCount; c++) {
      channels[c][f] = read(at);
      at += width;
    }
  }
  return channels;
}

function sampleReader(view: DataView, format: SampleFormat, le: boolean): (at: number) => number {
  switch (format) {
    case 'uint8':
      return (at) => (view.getUint8(at) - 128) / 128;
    case 'int8':
      return (at) => view.getInt8(at) / 128;
    case 'int16':
      return (at) => view.getInt16(at, le) / 32768;
    case 'int24':
      return le
        ? (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608)
        : (at) => ((view.getUint8(at + 2) | (view.getUint8(at + 1) << 8) | (view.getInt8(at) << 16)) / 8388608);
    case 'int32':
      return (at) => view.getInt32(at, le) / 2147483648;
    case 'float32':
      return (at) => view.getFloat32(at, le);
    case 'float64':
      return (at) => view.getFloat64(at, le);
    case 'mulaw':
      return (at) => MULAW_TABLE[view.getUint8(at)];
    case 'alaw':
      return (at) => ALAW_TABLE[view.getUint8(at)];
  }
}

/** Writes the channels as interleaved frames of `format` into a new byte array. */
export function writeInterleaved(channels: Float32Array[], format: SampleFormat, littleEndian: boolean): Uint8Array {
  const frames = channels.length > 0 ? channels[0].length : 0;
  const width = bytesPerSample(format);
  const bytes = new Uint8Array(frames * channels.length * width);
  const view = new DataView(bytes.buffer);
  const write = sampleWriter(view, format, littleEndian);
  let at = 0;
  for (let f = 0; f < frames; f++) {
    for (const channel of channels) {
      write(at, channel[f]);
      at += width;
    }
  }
  return bytes;
}

function sampleWriter(view: DataView, format: SampleFormat, le: boolean): (at: number, x: number) => void {
  switch (format) {
    case 'uint8':
      return (at, x) => view.setUint8(at, quantize(x, 8) + 128);
    case 'int8':
      return (at, x) => view.setInt8(at, quantize(x, 8));
    case 'int16':
      return (at, x) => view.setInt16(at, quantize(x, 16), le);
    case 'int24':
      return (at, x) => {
        const v = quantize(x, 24) & 0xffffff;
        const [first, last] = le ? [at, at + 2] : [at + 2, at];
        view.setUint8(first, v & 0xff);
        view.setUint8(at + 1, (v >> 8) & 0xff);
        view.setUint8(last, v >> 16);
      };
    case 'int32':
      return (at, x) => view.setInt32(at, quantize(x, 32), le);
    case 'float32':
      return (at, x) => view.setFloat32(at, x, le);
    case 'float64':
      return (at, x) => view.setFloat64(at, x, le);
    case 'mulaw':
      return (at, x) => view.setUint8(at, muLawEncode(quantize(x, 16)));
    case 'alaw':
      return (at, x) => view.setUint8(at, aLawEncode(quantize(x, 16)));
  }
}

/** Nearest `bits`-bit integer step of x (NaN writes as 0), clipped to the format's range. */
export function quantize(x: number, bits: number): number {
  const scale = 2 ** (bits - 1);
  const v = Math.round((Number.isNaN(x) ? 0 : x) * scale);
  return Math.max(-scale, Math.min(scale - 1, v));
}

// ---------- G.711 ----------

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** 8-bit mu-law code to a 16-bit linear value (ITU-T G.711). */
export function muLawDecode(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 7;
  const magnitude = (((u & 0x0f) << 3) + MULAW_BIAS) << exponent;
  return u & 0x80 ? MULAW_BIAS - magnitude : magnitude - MULAW_BIAS;
}

/** 16-bit linear value to its 8-bit mu-law code (ITU-T G.711). */
export function muLawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), MULAW_CLIP) + MULAW_BIAS;
  let exponent = 7;
  while (exponent > 0 && !(magnitude & (0x4000 >> (7 - exponent)))) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** 8-bit A-law code to a 16-bit linear value (ITU-T G.711). */
export function aLawDecode(code: number): number {
  const a = code ^ 0x55;
  const exponent = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

/** 16-bit linear value to its 8-bit A-law code (ITU-T G.711). */
export function aLawEncode(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const magnitude = Math.min(sample >= 0 ? sample : -sample - 1, 32767) >> 3; // 13-bit magnitude
  let exponent = 7;
  while (exponent > 0 && !(magnitude & (0x800 >> (7 - exponent)))) exponent--;
  // exponent 0 covers 0..31 (segment 0 and 1 share the step 2); otherwise the leading one is implicit
  const mantissa = exponent === 0 ? (magnitude >> 1) & 0x0f : (magnitude >> exponent) & 0x0f;
  return (sign | (exponent << 4) | mantissa) ^ 0x55;
}

const MULAW_TABLE = Float32Array.from({ length: 256 }, (_, code) => muLawDecode(code) / 32768);
const ALAW_TABLE = Float32Array.from({ length: 256 }, (_, code) => aLawDecode(code) / 32768);
