import { describe, expect, it } from 'vitest';
import { encodeAiff, parseAiff } from './aiff.ts';
import type { SampleFormat } from './pcm.ts';
import { AudioError } from './types.ts';

function exactSamples(format: SampleFormat): Float32Array[] {
  if (format === 'mulaw') return [Float32Array.of(0, 8, -8, 32124, -1884).map((v) => v / 32768), Float32Array.of(56, -132, 0, 8, 1884).map((v) => v / 32768)];
  if (format === 'alaw') return [Float32Array.of(8, -8, 32256, -32256, 1056).map((v) => v / 32768), Float32Array.of(-24, 40, 264, 8, -1056).map((v) => v / 32768)];
  const bits: Partial<Record<SampleFormat, number>> = { int8: 8, int16: 16, int24: 24, int32: 24, float32: 30, float64: 30 };
  const s = 2 ** -(bits[format]! - 1);
  return [Float32Array.of(0, s, -s, -1, 1 - s), Float32Array.of(0.25, -0.75, 3 * s, -5 * s, 0)];
}

describe('AIFF round trips', () => {
  for (const format of ['int8', 'int16', 'int24', 'int32', 'float32', 'float64', 'mulaw', 'alaw'] as SampleFormat[]) {
    it(`${format}: stereo samples come back exactly`, () => {
      const channels = exactSamples(format);
      const bytes = encodeAiff(channels, 44100, format);
      expect(String.fromCharCode(...bytes.subarray(8, 12))).toBe(format.startsWith('int') ? 'AIFF' : 'AIFC');
      const decoded = parseAiff(bytes);
      expect(decoded).toMatchObject({ sampleRate: 44100, format: 'aiff' });
      expect(decoded.channels.map((c) => [...c])).toEqual(channels.map((c) => [...c]));
    });
  }

  it('writes and reads the sample rate as an 80-bit extended float', () => {
    const bytes = encodeAiff([Float32Array.of(0.5)], 44100, 'int16');
    expect([...bytes.subarray(28, 38)]).toEqual([0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]);
    for (const rate of [8000, 11025, 22050, 48000, 96000, 192000]) expect(parseAiff(encodeAiff([Float32Array.of(0.5)], rate, 'int16')).sampleRate).toBe(rate);
  });

  it("reads AIFF-C 'sowt' (little-endian 16-bit)", () => {
    const bytes = encodeAiff([Float32Array.of(0.5, -0.25)], 22050, 'float32');
    const commAt = 12 + 12;
    bytes.set([...'sowt'].map((c) => c.charCodeAt(0)), commAt + 8 + 18);
    new DataView(bytes.buffer).setUint16(commAt + 8 + 6, 16);
    const ssndData = commAt + 8 + 24 + 16;
    bytes.set([0x00, 0x40, 0x00, 0xe0], ssndData);
    expect([...parseAiff(bytes).channels[0]]).toEqual([0.5, -0.25]);
  });
});

describe('malformed AIFF files', () => {
  const good = (): Uint8Array => encodeAiff([Float32Array.of(0.1, 0.2, 0.3, 0.4)], 8000, 'int16');
  const expectError = (bytes: Uint8Array, reason: RegExp): void => {
    expect(() => parseAiff(bytes)).toThrow(AudioError);
    expect(() => parseAiff(bytes)).toThrow(reason);
  };

  it('cut-off sound data', () => expectError(good().subarray(0, good().length - 2), /truncated AIFF file: 4 frames need 8 bytes of sound data but only 6 are present/));
  it('no COMM chunk', () => {
    const bytes = good();
    bytes.set([...'JUNK'].map((c) => c.charCodeAt(0)), 12);
    expectError(bytes, /without a COMM chunk/);
  });
  it('no channels', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint16(20, 0);
    expectError(bytes, /declares no channels/);
  });
  it('an unknown compression', () => {
    const bytes = encodeAiff([Float32Array.of(0.5)], 8000, 'float32');
    bytes.set([...'ima4'].map((c) => c.charCodeAt(0)), 12 + 12 + 8 + 18);
    expectError(bytes, /unsupported AIFF-C compression 'ima4'/);
  });
  it('a header that promises more than 3 hours', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint32(22, 0xfffffff0);
    expectError(bytes, /too long to analyse/);
  });
});
