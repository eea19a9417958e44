import { describe, expect, it } from 'vitest';
import type { SampleFormat } from './pcm.ts';
import { AudioError } from './types.ts';
import { encodeWav, parseWav } from './wav.ts';

/** Values every format holds exactly (a step of each format's grid), with the extremes of the 16-bit grid. */
function exactSamples(format: SampleFormat): Float32Array[] {
  const step: Record<SampleFormat, number> = {
    uint8: 1 / 128, int8: 1 / 128, int16: 1 / 32768, int24: 1 / 8388608, int32: 1 / 2 ** 23,
    float32: 1 / 2 ** 30, float64: 1 / 2 ** 30, mulaw: 0, alaw: 0,
  };
  if (format === 'mulaw') return [Float32Array.of(0, 8, -8, 32124, -32124, 1884).map((v) => v / 32768), Float32Array.of(-16, 120, 56, -132, 0, 8).map((v) => v / 32768)];
  if (format === 'alaw') return [Float32Array.of(8, -8, 32256, -32256, 1056, 24).map((v) => v / 32768), Float32Array.of(-24, 40, 264, 0.0, -1056, 8).map((v) => (v === 0 ? 8 : v) / 32768)];
  const s = step[format];
  return [Float32Array.of(0, s, -s, -1, 1 - s, 0.5), Float32Array.of(0.25, -0.75, 3 * s, -5 * s, 0, -1)];
}

const WAV_FORMATS: SampleFormat[] = ['uint8', 'int16', 'int24', 'int32', 'float32', 'float64', 'mulaw', 'alaw'];

describe('WAV round trips', () => {
  for (const format of WAV_FORMATS) {
    for (const extensible of [false, true]) {
      it(`${format}${extensible ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''}: stereo samples come back exactly`, () => {
        const channels = exactSamples(format);
        const decoded = parseWav(encodeWav(channels, 44100, format, { extensible }));
        expect(decoded.sampleRate).toBe(44100);
        expect(decoded.format).toBe('wav');
        expect(decoded.channels.map((c) => [...c])).toEqual(channels.map((c) => [...c]));
      });
    }
  }

  it('quantizes to the nearest 16-bit step and clips out-of-range values', () => {
    const decoded = parseWav(encodeWav([Float32Array.of(0.3, 1.7, -3, 0.6 / 32768)], 8000, 'int16'));
    expect([...decoded.channels[0]]).toEqual([Math.round(0.3 * 32768) / 32768, 32767 / 32768, -1, 1 / 32768]);
  });

  it('quantizes 8-bit to the unsigned grid', () => {
    const bytes = encodeWav([Float32Array.of(-1, 0, 0.5, 1)], 8000, 'uint8');
    expect([...bytes.subarray(bytes.length - 4)]).toEqual([0, 128, 192, 255]);
  });

  it('skips unknown chunks, with the pad byte after an odd-sized one', () => {
    const channels = [Float32Array.of(0.5, -0.25, 1 / 32768)];
    const bytes = encodeWav(channels, 22050, 'int16', { extraChunks: [{ id: 'LIST', data: Uint8Array.of(1, 2, 3) }] });
    const listAt = 12 + 8 + 16;
    expect(String.fromCharCode(...bytes.subarray(listAt, listAt + 4))).toBe('LIST');
    expect(String.fromCharCode(...bytes.subarray(listAt + 12, listAt + 16))).toBe('data'); // 8 + 3 + 1 pad
    expect([...parseWav(bytes).channels[0]]).toEqual([...channels[0]]);
  });

  it('reads a data size of 0xffffffff or 0 as "to the end of the file"', () => {
    for (const size of [0xffffffff, 0]) {
      const bytes = encodeWav([Float32Array.of(0.5, -0.5, 0.25)], 16000, 'int16');
      new DataView(bytes.buffer).setUint32(40, size, true);
      expect([...parseWav(bytes).channels[0]]).toEqual([0.5, -0.5, 0.25]);
    }
  });

  it('reads RF64 with its ds64 chunk', () => {
    const wav = encodeWav([Float32Array.of(0.5, -0.5), Float32Array.of(0.25, -0.25)], 48000, 'int16');
    const ds64 = new Uint8Array(8 + 28);
    const d = new DataView(ds64.buffer);
    ds64.set([...'ds64'].map((c) => c.charCodeAt(0)));
    d.setUint32(4, 28, true);
    d.setUint32(8 + 8, 8, true); // data size, low word
    const rf64 = new Uint8Array(wav.length + ds64.length);
    rf64.set([...'RF64'].map((c) => c.charCodeAt(0)));
    new DataView(rf64.buffer).setUint32(4, 0xffffffff, true);
    rf64.set(wav.subarray(8, 12), 8);
    rf64.set(ds64, 12);
    rf64.set(wav.subarray(12), 12 + ds64.length);
    new DataView(rf64.buffer).setUint32(12 + ds64.length + 24 + 4, 0xffffffff, true);
    const decoded = parseWav(rf64);
    expect(decoded.channels.map((c) => [...c])).toEqual([[0.5, -0.5], [0.25, -0.25]]);
  });

  it('reads 20-bit samples in a 24-bit container', () => {
    const bytes = encodeWav([Float32Array.of(0.5, -16 / 8388608)], 44100, 'int24');
    new DataView(bytes.buffer).setUint16(34, 20, true);
    expect([...parseWav(bytes).channels[0]]).toEqual([0.5, -16 / 8388608]);
  });
});

describe('malformed WAV files', () => {
  const good = (): Uint8Array => encodeWav([Float32Array.of(0.1, 0.2, 0.3, 0.4)], 8000, 'int16');
  const expectError = (bytes: Uint8Array, reason: RegExp): void => {
    expect(() => parseWav(bytes)).toThrow(AudioError);
    expect(() => parseWav(bytes)).toThrow(reason);
  };

  it('a cut-off data chunk is reported as truncated', () => expectError(good().subarray(0, 48), /truncated WAV file: the data chunk declares 8 bytes but only 4 are present/));
  it('a header cut inside the format chunk', () => expectError(good().subarray(0, 24), /format chunk is truncated/));
  it('no data chunk', () => expectError(good().subarray(0, 36), /without a data chunk/));
  it('no format chunk', () => {
    const bytes = good();
    bytes.set([...'junk'].map((c) => c.charCodeAt(0)), 12);
    expectError(bytes, /without a format \(fmt\) chunk/);
  });
  it('zero channels', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint16(22, 0, true);
    expectError(bytes, /declares no channels/);
  });
  it('zero sample rate', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint32(24, 0, true);
    expectError(bytes, /sample rate of 0/);
  });
  it('a compressed encoding', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint16(20, 2, true);
    expectError(bytes, /unsupported WAV encoding \(format tag 0x2, ADPCM\)/);
  });
  it('a header that promises more than 3 hours, before allocating', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint32(40, 0xfffffff0, true); // ~ 75 h of 16-bit mono at 8 kHz
    expectError(bytes, /too long to analyse: 74 h 34 min/);
  });
  it('not a WAV file at all', () => expectError(new TextEncoder().encode('RIFF but not really'), /not a WAV file/));
});
