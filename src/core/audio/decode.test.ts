import { existsSync, readFileSync } from 'node:fs';
import { createMp3Encoder, createOggEncoder } from 'wasm-media-encoders';
import { describe, expect, it } from 'vitest';
import { encodeAiff } from './aiff.ts';
import { encodeAu } from './au.ts';
import { decodeAudioBytes, decodeForAnalysis } from './decode.ts';
import { DEFAULT_ANALYSIS_POLICY, prepareForAnalysis } from './prepare.ts';
import { AudioError } from './types.ts';
import { encodeWav } from './wav.ts';

const RATE = 44100;
/** A 1 s chirp (200 Hz to 4.2 kHz): unlike a steady tone, its alignment with a decoded copy is unambiguous. */
const chirp = new Float32Array(RATE).map((_, i) => 0.5 * Math.sin(2 * Math.PI * (200 + (4000 * i) / RATE) * (i / RATE)));

async function encodeMp3(channels: Float32Array[]): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: RATE, channels: channels.length as 1 | 2, bitrate: 192 });
  return concat(encoder.encode(channels).slice(), encoder.finalize().slice());
}

async function encodeOgg(channels: Float32Array[]): Promise<Uint8Array> {
  const encoder = await createOggEncoder();
  encoder.configure({ sampleRate: RATE, channels: channels.length as 1 | 2, vbrQuality: 6 });
  return concat(encoder.encode(channels).slice(), encoder.finalize().slice());
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Prepends the Xing "Info" frame with a LAME extension that the LAME command-line encoder writes (this streaming
 * build does not): total frame count plus the encoder delay and padding, with the tag's CRC-16.
 */
function withLameTag(mp3: Uint8Array, frames: number, delay: number, padding: number): Uint8Array {
  const frameLength = Math.floor((144 * 192000) / RATE); // MPEG-1 layer III, 192 kbit/s, no padding slot
  const frame = new Uint8Array(frameLength);
  frame.set(mp3.subarray(0, 4));
  frame[2] &= ~0x02;
  const tag = 4 + (frame[3] >> 6 === 3 ? 17 : 32); // after the side information
  const view = new DataView(frame.buffer);
  frame.set(ascii('Info'), tag);
  view.setUint32(tag + 4, 3); // fields present: frames, bytes
  view.setUint32(tag + 8, frames);
  view.setUint32(tag + 12, frameLength + mp3.length);
  const lame = tag + 16;
  frame.set(ascii('LAME3.100'), lame);
  frame[lame + 21] = delay >> 4;
  frame[lame + 22] = ((delay & 15) << 4) | (padding >> 8);
  frame[lame + 23] = padding & 255;
  view.setUint16(lame + 34, crc16(frame.subarray(0, lame + 34)));
  return concat(frame, mp3);
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Index of the first sample where two arrays differ (or of the shorter one's end), -1 when identical. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Lag (in samples) at which `decoded` best matches `reference`, and the RMS error there. */
function alignment(reference: Float32Array, decoded: Float32Array): { lag: number; rmsError: number } {
  let best = -Infinity;
  let lag = 0;
  for (let l = -1200; l <= 1200; l++) {
    let dot = 0;
    for (let i = 5000; i < 15000; i += 4) dot += reference[i] * (decoded[i + l] ?? 0);
    if (dot > best) [best, lag] = [dot, l];
  }
  let error = 0;
  for (let i = 5000; i < 30000; i++) error += (reference[i] - decoded[i + lag]) ** 2;
  return { lag, rmsError: Math.sqrt(error / 25000) };
}

describe('decodeAudioBytes picks the decoder by magic bytes', () => {
  it('WAV', async () => {
    const decoded = await decodeAudioBytes(encodeWav([Float32Array.of(0.5, -0.5)], 8000, 'int16'));
    expect(decoded).toMatchObject({ format: 'wav', sampleRate: 8000 });
    expect([...decoded.channels[0]]).toEqual([0.5, -0.5]);
  });

  it('AU', async () => {
    const decoded = await decodeAudioBytes(encodeAu([Float32Array.of(0.5, -0.5)], 8000, 'mulaw'));
    expect(decoded).toMatchObject({ format: 'au', sampleRate: 8000 });
    expect(decoded.channels[0][0]).toBeCloseTo(0.5, 1);
  });

  it('AIFF', async () => {
    const decoded = await decodeAudioBytes(encodeAiff([Float32Array.of(0.5, -0.5)], 48000, 'int24'));
    expect(decoded).toMatchObject({ format: 'aiff', sampleRate: 48000 });
    expect([...decoded.channels[0]]).toEqual([0.5, -0.5]);
  });

  it('MP3 (LAME), mono stays mono, stereo stays stereo', async () => {
    for (const channelCount of [1, 2]) {
      const decoded = await decodeAudioBytes(await encodeMp3(Array.from({ length: channelCount }, () => chirp)));
      expect(decoded).toMatchObject({ format: 'mp3', sampleRate: RATE });
      expect(decoded.channels).toHaveLength(channelCount);
      // Without a LAME tag nothing says where the music starts: LAME's 576 + the decoder's 529 samples of delay stay.
      expect(decoded.channels[0].length).toBe(40 * 1152);
      const { lag, rmsError } = alignment(chirp, decoded.channels[0]);
      expect(lag).toBe(1105);
      expect(rmsError).toBeLessThan(0.02);
    }
  });

  it('MP3 with a LAME tag: encoder delay and padding are trimmed (gapless)', async () => {
    const mp3 = await encodeMp3([chirp]);
    const decoded = await decodeAudioBytes(withLameTag(mp3, 40, 576, 40 * 1152 - RATE - 576));
    expect(decoded.channels[0].length).toBe(RATE);
    expect(alignment(chirp, decoded.channels[0]).lag).toBe(0);
  });

  it('MP3 after an ID3v2 tag', async () => {
    const id3 = concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0, 0, 0, 20), new Uint8Array(20));
    const decoded = await decodeAudioBytes(concat(id3, await encodeMp3([chirp])));
    expect(decoded).toMatchObject({ format: 'mp3', sampleRate: RATE });
    expect(decoded.channels[0].length).toBe(40 * 1152);
  });

  it('Ogg Vorbis: exact length, no delay', async () => {
    for (const channelCount of [1, 2]) {
      const decoded = await decodeAudioBytes(await encodeOgg(Array.from({ length: channelCount }, () => chirp)));
      expect(decoded).toMatchObject({ format: 'ogg', sampleRate: RATE });
      expect(decoded.channels).toHaveLength(channelCount);
      expect(decoded.channels[0].length).toBe(RATE);
      const { lag, rmsError } = alignment(chirp, decoded.channels[0]);
      expect(lag).toBe(0);
      expect(rmsError).toBeLessThan(0.02);
    }
  });
});

describe('decodeAudioBytes rejects what it cannot read, with a reason', () => {
  const rejects = async (bytes: Uint8Array, reason: RegExp): Promise<void> => {
    const error = await decodeAudioBytes(bytes).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AudioError);
    expect((error as AudioError).message).toMatch(reason);
  };

  it('an empty file', () => rejects(new Uint8Array(0), /^the file is empty$/));
  it('text', () => rejects(ascii('hello, this is not audio\n'), /unknown or unsupported audio format/));
  it('MP4/M4A', () => rejects(concat(Uint8Array.of(0, 0, 0, 32), ascii('ftypM4A '), new Uint8Array(100)), /MP4\/M4A .* not supported/));
  it('Ogg Opus', () => rejects(concat(ascii('OggS'), new Uint8Array(24), ascii('OpusHead'), new Uint8Array(20)), /Ogg Opus audio is not supported/));
  it('an ID3 tag and nothing else', () => rejects(concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0, 0, 0, 0)), /ID3 tag but no audio/));
  it('a truncated MP3 (one partial frame)', async () => rejects((await encodeMp3([chirp])).subarray(0, 300), /MP3 decoding failed/));
  it('a FLAC file cut inside its header', () => rejects(concat(ascii('fLaC'), new Uint8Array(20)), /truncated or corrupt FLAC file: no STREAMINFO block/));
  it('a truncated WAV', () => rejects(encodeWav([chirp], RATE, 'int16').subarray(0, 1000), /truncated WAV file/));
});

const FLAC_CLIP = '../shared/data/gtzan/jazz/jazz.00000.flac';

describe.skipIf(!existsSync(FLAC_CLIP))(`FLAC (needs ${FLAC_CLIP})`, () => {
  const bytes = (): Uint8Array => new Uint8Array(readFileSync(FLAC_CLIP));

  it('decodes a GTZAN clip: 22050 Hz mono, read like its WAV (16-bit integers / 32768)', async () => {
    const decoded = await decodeAudioBytes(bytes());
    expect(decoded).toMatchObject({ format: 'flac', sampleRate: 22050 });
    expect(decoded.channels).toHaveLength(1);
    expect(decoded.channels[0].length).toBe(661794);
    expect(decoded.channels[0].every((x) => Number.isInteger(x * 32768))).toBe(true);
  });

  it('a truncated FLAC file is rejected, naming how much was decodable', async () => {
    const cut = bytes().subarray(0, 300000);
    await expect(decodeAudioBytes(cut)).rejects.toThrow(/truncated FLAC file: \d+ of the 661794 samples/);
  });
});

describe('decodeForAnalysis: the analysis PCM without the whole decoded file', () => {
  const longPolicy = { wholeFileSeconds: 0.5, excerptCount: 3, excerptSeconds: 0.2, maxSeconds: 60, minSeconds: 0.1 };
  const stereoChirp = [chirp, chirp.map((x) => -0.5 * x)];

  const cases: [string, () => Promise<Uint8Array>][] = [
    ['WAV', async () => encodeWav(stereoChirp, RATE, 'int16')],
    ['AU', async () => encodeAu(stereoChirp, RATE, 'float32')],
    ['AIFF', async () => encodeAiff(stereoChirp, RATE, 'int24')],
    ['MP3', async () => withLameTag(await encodeMp3(stereoChirp), 40, 576, 40 * 1152 - RATE - 576)],
    ['Ogg Vorbis', async () => encodeOgg(stereoChirp)],
  ];
  for (const [name, make] of cases) {
    it(`${name}: equals prepareForAnalysis(decodeAudioBytes(...)), whole and in excerpts`, async () => {
      const bytes = await make();
      const decoded = await decodeAudioBytes(bytes);
      for (const policy of [DEFAULT_ANALYSIS_POLICY, longPolicy]) {
        const expected = prepareForAnalysis(decoded, policy);
        const streamed = await decodeForAnalysis(bytes, policy);
        expect(streamed.notes).toEqual(expected.notes);
        expect(firstDifference(streamed.pcm.samples, expected.pcm.samples)).toBe(-1);
        expect(streamed.source).toEqual({ format: decoded.format, sampleRate: RATE, channels: 2, duration: decoded.channels[0].length / RATE });
      }
    });
  }

  it('reads only the excerpts of an uncompressed file: NaNs between them are never read', async () => {
    const samples = Float32Array.from(chirp);
    samples.fill(Number.NaN, 9000, 17000); // between the first two excerpts: [0, 8820), [17640, 26460), [35280, 44100)
    const bytes = encodeWav([samples], RATE, 'float32');
    const { pcm, notes } = await decodeForAnalysis(bytes, longPolicy);
    expect(pcm.samples.length).toBe(3 * 4410); // resampled to 22050 Hz
    expect(notes).toEqual(['long file (1.0 s): analysed 3 evenly spaced 0.2 s excerpts', 'resampled from 44100 Hz to 22050 Hz']);
    await expect(decodeAudioBytes(bytes).then((d) => prepareForAnalysis(d, longPolicy))).rejects.toThrow('8000 samples are NaN or infinite');
  });

  it('rejects a header that promises more than the maximum before reading samples', async () => {
    const bytes = encodeWav([chirp], RATE, 'int16');
    new DataView(bytes.buffer).setUint32(40, 0xfffffff0, true);
    await expect(decodeForAnalysis(bytes)).rejects.toThrow(/too long to analyse: 13 h 32 min/);
  });

  it('rejects bad input with the same reasons', async () => {
    await expect(decodeForAnalysis(new Uint8Array(0))).rejects.toThrow('the file is empty');
    await expect(decodeForAnalysis(encodeWav([new Float32Array(RATE * 2)], RATE, 'int16'))).rejects.toThrow('digital silence');
    await expect(decodeForAnalysis(ascii('not audio at all'))).rejects.toThrow(/unknown or unsupported audio format/);
  });
});

describe.skipIf(!existsSync(FLAC_CLIP))(`decodeForAnalysis on FLAC (needs ${FLAC_CLIP})`, () => {
  it('equals prepareForAnalysis(decodeAudioBytes(...)), whole and in excerpts', async () => {
    const bytes = new Uint8Array(readFileSync(FLAC_CLIP));
    const decoded = await decodeAudioBytes(bytes);
    for (const policy of [DEFAULT_ANALYSIS_POLICY, { ...DEFAULT_ANALYSIS_POLICY, wholeFileSeconds: 10, excerptCount: 4, excerptSeconds: 3 }]) {
      const streamed = await decodeForAnalysis(bytes, policy);
      const expected = prepareForAnalysis(decoded, policy);
      expect(firstDifference(streamed.pcm.samples, expected.pcm.samples)).toBe(-1);
      expect(streamed.notes).toEqual(expected.notes);
    }
  });
});
