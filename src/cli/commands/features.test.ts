import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeWav } from '../../core/audio/wav.ts';
import { parseFeaturesCsv } from '../../core/data/csv.ts';
import { extractFeatures, FAST_FEATURE_NAMES, GTZAN_FEATURE_NAMES } from '../../core/features/gtzan.ts';
import { segmentFileName } from '../../core/data/dataset.ts';
import { run } from './features.ts';

const SR = 22050;
const dir = mkdtempSync(join(tmpdir(), 'muzo-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tone(hz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * SR) }, (_, t) => 0.3 * Math.sin((2 * Math.PI * hz * t) / SR));
}

mkdirSync(join(dir, 'Rock'));
mkdirSync(join(dir, 'Jazz'));
writeFileSync(join(dir, 'Rock', 'a.wav'), encodeWav([tone(220, 7)], SR, 'float32'));
writeFileSync(join(dir, 'Jazz', 'b.wav'), encodeWav([tone(330, 2)], SR, 'float32'));
writeFileSync(join(dir, 'Jazz', 'broken.wav'), new TextEncoder().encode('not audio'));

describe('muzo features', () => {
  it('names segments the GTZAN 3-second way', () => {
    expect(segmentFileName('blues.00000.wav', 3)).toBe('blues.00000.3.wav');
  });

  it('writes one row per file in the table layout, label = parent folder, errors to stderr', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const out = join(dir, 'clips.csv');
    const code = await run([dir, '--out', out, '--jobs', '1']);
    const messages = errors.mock.calls.map((c) => String(c[0]));
    errors.mockRestore();
    expect(code).toBe(1);
    expect(messages.some((m) => m.includes('broken.wav'))).toBe(true);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe(['filename', 'length', ...GTZAN_FEATURE_NAMES, 'label'].join(','));
    const table = parseFeaturesCsv(text);
    expect(table.rows.map((r) => [r.file, r.label, r.length])).toEqual([
      ['b.wav', 'Jazz', 2 * SR],
      ['a.wav', 'Rock', 7 * SR],
    ]);
    // Written numbers round-trip to what the extractor computes for the same samples.
    const expected = extractFeatures(tone(330, 2), SR);
    table.rows[0].features.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 8));
  });

  it('writes segment rows with --segment and the fast set with --fast', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const out = join(dir, 'segments.csv');
    const code = await run([join(dir, 'Rock'), '--out', out, '--segment', '3', '--fast', '--jobs', '1']);
    errors.mockRestore();
    expect(code).toBe(0);
    const table = parseFeaturesCsv(readFileSync(out, 'utf8'));
    expect(table.featureNames).toEqual(FAST_FEATURE_NAMES);
    expect(table.rows.map((r) => [r.file, r.label, r.length])).toEqual([
      ['a.0.wav', 'Rock', 3 * SR],
      ['a.1.wav', 'Rock', 3 * SR],
    ]);
  });

  it('rejects bad arguments with exit code 2', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run([dir])).toBe(2);
    expect(await run([dir, '--out', 'x.csv', '--segment', '0'])).toBe(2);
    errors.mockRestore();
  });

  it('gives the same table on worker threads as on one thread, in input order', async () => {
    const tones = join(dir, 'Tones');
    mkdirSync(tones);
    for (const hz of [200, 300, 450]) writeFileSync(join(tones, `t${hz}.wav`), encodeWav([tone(hz, 2)], SR, 'float32'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run([tones, '--out', join(dir, 'one.csv'), '--fast', '--jobs', '1'])).toBe(0);
    expect(await run([tones, '--out', join(dir, 'two.csv'), '--fast', '--jobs', '2'])).toBe(0);
    errors.mockRestore();
    const one = readFileSync(join(dir, 'one.csv'), 'utf8');
    expect(readFileSync(join(dir, 'two.csv'), 'utf8')).toBe(one);
    expect(parseFeaturesCsv(one).rows.map((r) => r.file)).toEqual(['t200.wav', 't300.wav', 't450.wav']);
  });
});
