import { describe, expect, it } from 'vitest';
import { aLawDecode, aLawEncode, muLawDecode, muLawEncode, quantize, readInterleaved, writeInterleaved, type SampleFormat } from './pcm.ts';

describe('G.711', () => {
  it('mu-law: known codes expand to the standard 16-bit values', () => {
    expect(muLawDecode(0xff)).toBe(0);
    expect(muLawDecode(0x80)).toBe(32124); // largest positive
    expect(muLawDecode(0x00)).toBe(-32124); // largest negative
    expect(muLawDecode(0xfe)).toBe(8);
    expect(muLawDecode(0x7e)).toBe(-8);
  });

  it('mu-law: every code re-encodes to a code with the same value', () => {
    for (let code = 0; code < 256; code++) expect(muLawDecode(muLawEncode(muLawDecode(code)))).toBe(muLawDecode(code));
    for (let code = 0; code < 256; code++) if (code !== 0x7f) expect(muLawEncode(muLawDecode(code))).toBe(code);
  });

  it('mu-law: encoding rounds to the nearest segment step and clips', () => {
    expect(muLawEncode(0)).toBe(0xff);
    expect(muLawEncode(32767)).toBe(0x80);
    expect(muLawEncode(-32768)).toBe(0x00);
    expect(muLawEncode(9)).toBe(0xfe);
  });

  it('A-law: known codes expand to the standard 16-bit values', () => {
    expect(aLawDecode(0xd5)).toBe(8);
    expect(aLawDecode(0x55)).toBe(-8);
    expect(aLawDecode(0xaa)).toBe(32256);
    expect(aLawDecode(0x2a)).toBe(-32256);
  });

  it('A-law: every code round-trips', () => {
    for (let code = 0; code < 256; code++) expect(aLawEncode(aLawDecode(code))).toBe(code);
  });
});

describe('quantize', () => {
  it('rounds to the nearest step and clips to the range', () => {
    expect(quantize(0.5, 16)).toBe(16384);
    expect(quantize(1, 16)).toBe(32767);
    expect(quantize(-1, 16)).toBe(-32768);
    expect(quantize(-2, 8)).toBe(-128);
    expect(quantize(1.4 / 32768, 16)).toBe(1);
    expect(quantize(Number.NaN, 24)).toBe(0);
  });
});

describe('interleaved samples', () => {
  const cases: [SampleFormat, boolean, number, number[]][] = [
    ['uint8', true, 0.5, [192]],
    ['int8', false, -0.5, [0xc0]],
    ['int16', true, 0.5, [0x00, 0x40]],
    ['int16', false, 0.5, [0x40, 0x00]],
    ['int24', true, -1 / 8388608, [0xff, 0xff, 0xff]],
    ['int24', false, 0.25, [0x20, 0x00, 0x00]],
    ['int24', true, 0.25 + 1 / 8388608, [0x01, 0x00, 0x20]],
    ['int32', false, -0.5, [0xc0, 0x00, 0x00, 0x00]],
    ['float32', true, 1.5, [0x00, 0x00, 0xc0, 0x3f]],
    ['float64', false, -2, [0xc0, 0, 0, 0, 0, 0, 0, 0]],
    ['mulaw', true, 8 / 32768, [0xfe]],
    ['alaw', true, -8 / 32768, [0x55]],
  ];
  for (const [format, le, value, bytes] of cases) {
    it(`${format} ${le ? 'LE' : 'BE'}: ${value} is written as [${bytes.join(', ')}] and read back exactly`, () => {
      const written = writeInterleaved([Float32Array.of(value)], format, le);
      expect([...written]).toEqual(bytes);
      expect(readInterleaved(written, 0, 1, 1, format, le)[0][0]).toBe(value);
    });
  }

  it('reads 16-bit little-endian the same at aligned and unaligned offsets', () => {
    const written = writeInterleaved([Float32Array.of(0.5, -1, 3 / 32768), Float32Array.of(-0.25, 1 / 32768, 0)], 'int16', true);
    const shifted = new Uint8Array(written.length + 1);
    shifted.set(written, 1);
    const expected = [[0.5, -1, 3 / 32768], [-0.25, 1 / 32768, 0]];
    expect(readInterleaved(written, 0, 3, 2, 'int16', true).map((c) => [...c])).toEqual(expected);
    expect(readInterleaved(shifted, 1, 3, 2, 'int16', true).map((c) => [...c])).toEqual(expected);
    expect(readInterleaved(shifted.subarray(1), 0, 3, 2, 'int16', true).map((c) => [...c])).toEqual(expected);
  });

  it('interleaves channels frame by frame', () => {
    const written = writeInterleaved([Float32Array.of(1 / 32768, 3 / 32768), Float32Array.of(2 / 32768, 4 / 32768)], 'int16', true);
    expect([...written]).toEqual([1, 0, 2, 0, 3, 0, 4, 0]);
    const [left, right] = readInterleaved(written, 0, 2, 2, 'int16', true);
    expect([...left]).toEqual([1 / 32768, 3 / 32768]);
    expect([...right]).toEqual([2 / 32768, 4 / 32768]);
  });
});
