import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeWav } from '../../core/audio/wav.ts';
import { run as classify } from './classify.ts';
import { run as train } from './train.ts';

const RATE = 22050;

function tone(seconds: number, hz: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));
}

/** Deterministic white noise (a linear congruential generator). */
function noise(seconds: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 0.3 * (state / 2 ** 31 - 1);
  });
}

async function captured(work: () => Promise<number>): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void stdout.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void stderr.push(line));
  try {
    return { code: await work(), stdout, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('muzo train --model cnn and classify with it', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'muzo-cnn-'));
    // 6.5 s files: two 3-s log-mel patches each.
    for (let i = 0; i < 4; i++) {
      mkdirSync(join(dir, 'songs', 'tones'), { recursive: true });
      mkdirSync(join(dir, 'songs', 'noise'), { recursive: true });
      writeFileSync(join(dir, 'songs', 'tones', `tone-${i}.wav`), encodeWav([tone(6.5, 220 + 150 * i)], RATE, 'int16'));
      writeFileSync(join(dir, 'songs', 'noise', `noise-${i}.wav`), encodeWav([noise(6.5, 7 + i)], RATE, 'int16'));
    }
    writeFileSync(join(dir, 'new-tone.wav'), encodeWav([tone(6.5, 700)], RATE, 'int16'));
    writeFileSync(join(dir, 'new-noise.wav'), encodeWav([noise(6.5, 99)], RATE, 'int16'));
    writeFileSync(join(dir, 'features.csv'), 'filename,length,a_mean,label\nx.00000.wav,1,0.5,rock\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a features CSV: it has no spectrograms', async () => {
    const { code, stderr } = await captured(() => train([join(dir, 'features.csv'), '--out', join(dir, 'm'), '--model', 'cnn']));
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(/no spectrograms/);
  });

  it('trains on log-mel patches grouped by song (wasm, named), saves a log-mel model, and classify computes patches', async () => {
    const out = join(dir, 'model');
    const trained = await captured(() => train([join(dir, 'songs'), '--out', out, '--model', 'cnn', '--holdout', '0.25']));
    expect(trained.code).toBe(0);
    const json = JSON.parse(trained.stdout.at(-1)!) as Record<string, unknown>;
    expect(json).toMatchObject({ model: 'cnn', backend: 'wasm', songs: 8, rows: 16 });
    expect(json.backendReason).toMatch(/Conv2DBackpropFilter/);
    expect(json.protocol).toMatchObject({ kind: 'holdout', grouping: 'song', level: 'song' });
    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    expect(metadata).toMatchObject({ kind: 'cnn', input: 'logmel', segmentSeconds: 3, featureNames: ['logmel'], labels: ['noise', 'tones'] });

    const predictions = join(dir, 'predictions.csv');
    const classified = await captured(() => classify([out, join(dir, 'new-tone.wav'), join(dir, 'new-noise.wav'), '--out', predictions]));
    expect(classified.code).toBe(0);
    const lines = readFileSync(predictions, 'utf8').trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(',').slice(0, 2))).toEqual([
      [join(dir, 'new-tone.wav'), 'tones'],
      [join(dir, 'new-noise.wav'), 'noise'],
    ]);
    const csvRefused = await captured(() => classify([out, join(dir, 'features.csv'), '--out', predictions]));
    expect(csvRefused.code).toBe(1);
    expect(csvRefused.stderr.join('\n')).toMatch(/no spectrograms/);
  });
});
