import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeAu } from '../../core/audio/au.ts';
import { encodeWav } from '../../core/audio/wav.ts';
import { listAudioFiles } from '../files.ts';
import { fileInfo, run } from './info.ts';

const tone = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i / 10));

describe('muzo info', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'muzo-info-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'b-stereo.wav'), encodeWav([tone(44100 * 2), tone(44100 * 2)], 44100, 'int16'));
    writeFileSync(join(dir, 'nested', 'a.au'), encodeAu([tone(8000 * 3)], 8000, 'mulaw'));
    writeFileSync(join(dir, 'junk.mp3'), 'this is not audio');
    writeFileSync(join(dir, 'silent.wav'), encodeWav([new Float32Array(22050 * 2)], 22050, 'int16'));
    writeFileSync(join(dir, 'notes.txt'), 'not listed: no audio extension');
    writeFileSync(join(dir, '.hidden.wav'), 'hidden files are skipped');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists audio files recursively and sorted, keeping explicit files whatever their name', async () => {
    const explicit = join(dir, 'notes.txt');
    expect(await listAudioFiles([dir, explicit])).toEqual(
      ['b-stereo.wav', 'junk.mp3', 'nested/a.au', 'silent.wav', 'notes.txt'].map((f) => join(dir, f)),
    );
  });

  it('reports format, duration, sample rate and channels', async () => {
    expect(await fileInfo(join(dir, 'b-stereo.wav'))).toEqual({ file: join(dir, 'b-stereo.wav'), format: 'wav', duration: 2, sampleRate: 44100, channels: 2 });
    expect(await fileInfo(join(dir, 'nested', 'a.au'))).toMatchObject({ format: 'au', duration: 3, sampleRate: 8000, channels: 1 });
  });

  it('reports each bad file with its reason', async () => {
    expect(await fileInfo(join(dir, 'junk.mp3'))).toEqual({ file: join(dir, 'junk.mp3'), error: 'unknown or unsupported audio format (not WAV, AU, AIFF, FLAC, MP3 or Ogg Vorbis)' });
    expect(await fileInfo(join(dir, 'silent.wav'))).toMatchObject({ error: 'the audio is digital silence (every sample is zero)' });
    expect(await fileInfo(join(dir, 'missing.wav'))).toMatchObject({ error: 'no such file' });
  });

  it('prints one JSON line per file, errors to stderr too; exit 0 when one file worked, 1 when none did', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await run([dir])).toBe(0);
      const lines = out.mock.calls.map(([line]) => JSON.parse(line as string) as Record<string, unknown>);
      expect(lines.map((l) => 'error' in l)).toEqual([false, true, false, true]);
      expect(err.mock.calls.map(([m]) => m)).toEqual([
        `muzo info: ${join(dir, 'junk.mp3')}: unknown or unsupported audio format (not WAV, AU, AIFF, FLAC, MP3 or Ogg Vorbis)`,
        `muzo info: ${join(dir, 'silent.wav')}: the audio is digital silence (every sample is zero)`,
      ]);
      expect(await run([join(dir, 'junk.mp3')])).toBe(1);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

const DATA = '../shared/data/music_speech/speech';
describe.skipIf(!existsSync(DATA))(`muzo info on real clips (needs ${DATA})`, () => {
  it('reads the 16 kHz mono FLAC clips', async () => {
    const files = await listAudioFiles([DATA]);
    expect(files).toHaveLength(40);
    expect(await fileInfo(files[0])).toMatchObject({ format: 'flac', duration: 30, sampleRate: 16000, channels: 1 });
  });
});
