import { describe, expect, it } from 'vitest';
import { sniffAudio } from './sniff.ts';

function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p));
  return new Uint8Array(out);
}
const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
const be32 = (n: number) => le32(n).reverse();

describe('sniffAudio', () => {
  it('reads a WAV fmt chunk after another chunk', () => {
    const wav = bytesOf('RIFF', le32(100), 'WAVE', 'LIST', le32(3), [1, 2, 3, 0], 'fmt ', le32(16), [1, 0, 2, 0], le32(44100));
    expect(sniffAudio(wav)).toEqual({ format: 'wav', sampleRate: 44100 });
  });

  it('reads an AU header (big-endian)', () => {
    const au = bytesOf('.snd', be32(24), be32(0xffffffff), be32(1), be32(8000), be32(1));
    expect(sniffAudio(au)).toEqual({ format: 'au', sampleRate: 8000 });
  });

  it("reads FLAC's STREAMINFO rate", () => {
    // 22050 = 0x05622: 20 bits spread over bytes 18..20.
    const flac = bytesOf('fLaC', [0, 0, 0, 34], new Array(10).fill(0), [0x05, 0x62, 0x20]);
    expect(sniffAudio(flac)).toEqual({ format: 'flac', sampleRate: 22050, estimatedSeconds: null });
    // ...followed by 36 bits of total samples: 22050 * 4 hours = 317520000 = 0x12ED_1E80.
    const long = bytesOf('fLaC', [0, 0, 0, 34], new Array(10).fill(0), [0x05, 0x62, 0x20 | 0x0f, 0xf0], be32(317520000));
    long[21] = 0xf0; // 2 channels-1 / bits-1 fill the high nibble; the low nibble (sample-count bits 32..35) is 0
    expect(sniffAudio(long).estimatedSeconds).toBe(4 * 3600);
  });

  it('finds the first MPEG frame after an ID3 tag', () => {
    // 0x90: bitrate index 9 (128 kbit/s), 44100 Hz; 4 frame-header bytes = 32 bits = 1/4000 s at 128 kbit/s.
    const mp3 = bytesOf('ID3', [4, 0, 0, 0, 0, 0, 2], [0, 0], [0xff, 0xfb, 0x90, 0x64]);
    expect(sniffAudio(mp3)).toEqual({ format: 'mp3', sampleRate: 44100, estimatedSeconds: 32 / 128000 });
    expect(sniffAudio(bytesOf([0xff, 0xf3, 0x80, 0x00]))).toMatchObject({ format: 'mp3', sampleRate: 22050 });
  });

  it('says unknown for text and for nothing', () => {
    expect(sniffAudio(bytesOf('this is not audio at all'))).toEqual({ format: 'unknown', sampleRate: null });
    expect(sniffAudio(new Uint8Array(0))).toEqual({ format: 'unknown', sampleRate: null });
  });
});
