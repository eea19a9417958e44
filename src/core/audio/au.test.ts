import { describe, expect, it } from 'vitest';
import { encodeAu, parseAu } from './au.ts';
import type { SampleFormat } from './pcm.ts';
import { AudioError } from './types.ts';

const AU_FORMATS: [SampleFormat, number][] = [
  ['mulaw', 1], ['int8', 2], ['int16', 3], ['int24', 4], ['int32', 5], ['float32', 6], ['float64', 7], ['alaw', 27],
];

function exactSamples(format: SampleFormat): Float32Array[] {
  if (format === 'mulaw') return [Float32Array.of(0, 8, -8, 32124, -32124).map((v) => v / 32768), Float32Array.of(56, -132, 0, 8, 1884).map((v) => v / 32768)];
  if (format === 'alaw') return [Float32Array.of(8, -8, 32256, -32256, 1056).map((v) => v / 32768), Float32Array.of(-24, 40, 264, 8, -1056).map((v) => v / 32768)];
  const bits: Partial<Record<SampleFormat, number>> = { int8: 8, int16: 16, int24: 24, int32: 24, float32: 30, float64: 30 };
  const s = 2 ** -(bits[format]! - 1);
  return [Float32Array.of(0, s, -s, -1, 1 - s), Float32Array.of(0.25, -0.75, 3 * s, -5 * s, 0)];
}

describe('AU round trips', () => {
  for (const [format, encoding] of AU_FORMATS) {
    it(`${format} (encoding ${encoding}): stereo samples come back exactly, header big-endian`, () => {
      const channels = exactSamples(format);
      const bytes = encodeAu(channels, 22050, format);
      const header = new DataView(bytes.buffer);
      expect(header.getUint32(0)).toBe(0x2e736e64);
      expect(header.getUint32(12)).toBe(encoding);
      expect(header.getUint32(16)).toBe(22050);
      expect(header.getUint32(20)).toBe(2);
      const decoded = parseAu(bytes);
      expect(decoded).toMatchObject({ sampleRate: 22050, format: 'au' });
      expect(decoded.channels.map((c) => [...c])).toEqual(channels.map((c) => [...c]));
    });
  }

  it('stores 16-bit samples big-endian', () => {
    const bytes = encodeAu([Float32Array.of(0.5, -1)], 8000, 'int16');
    expect([...bytes.subarray(bytes.length - 4)]).toEqual([0x40, 0x00, 0x80, 0x00]);
  });

  it('reads a data size of 0xffffffff as "to the end of the file", after an annotation', () => {
    const bytes = encodeAu([Float32Array.of(0.5, -0.5, 0.25)], 8000, 'int16', { annotation: 'GTZAN-like header', unknownDataSize: true });
    expect(new DataView(bytes.buffer).getUint32(4)).toBe(48);
    expect([...parseAu(bytes).channels[0]]).toEqual([0.5, -0.5, 0.25]);
  });

  it("reads DEC's little-endian variant", () => {
    const be = encodeAu([Float32Array.of(0.5, -0.25)], 8000, 'int16');
    const le = new Uint8Array(be.length);
    le.set([...'dns.'].map((c) => c.charCodeAt(0)));
    for (let word = 1; word < 6; word++) new DataView(le.buffer).setUint32(word * 4, new DataView(be.buffer).getUint32(word * 4), true);
    le.set([0x00, 0x40, 0x00, 0xe0], be.length - 4);
    expect([...parseAu(le).channels[0]]).toEqual([0.5, -0.25]);
  });
});

describe('malformed AU files', () => {
  const good = (): Uint8Array => encodeAu([Float32Array.of(0.1, 0.2, 0.3, 0.4)], 8000, 'int16');
  const expectError = (bytes: Uint8Array, reason: RegExp): void => {
    expect(() => parseAu(bytes)).toThrow(AudioError);
    expect(() => parseAu(bytes)).toThrow(reason);
  };
  const withWord = (word: number, value: number): Uint8Array => {
    const bytes = good();
    new DataView(bytes.buffer).setUint32(word * 4, value);
    return bytes;
  };

  it('a cut-off header', () => expectError(good().subarray(0, 20), /truncated AU file: the header is incomplete/));
  it('cut-off samples', () => expectError(good().subarray(0, 36), /truncated AU file: the header declares 8 bytes of audio but only 4 are present/));
  it('a data offset inside the header', () => expectError(withWord(1, 12), /data offset 12 is inside the header/));
  it('a data offset past the end', () => expectError(withWord(1, 1000), /starts past the end of the file/));
  it('an unknown encoding', () => expectError(withWord(3, 23), /unsupported AU encoding 23/));
  it('zero channels', () => expectError(withWord(5, 0), /declares no channels/));
  it('zero sample rate', () => expectError(withWord(4, 0), /sample rate of 0/));
  it('a header that promises more than 3 hours', () => expectError(withWord(2, 0xfffffff0), /too long to analyse: 74 h 34 min/));
});
