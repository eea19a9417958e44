import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeWav } from '../../core/audio/wav.ts';
import { createRng, randomNormal } from '../../core/data/random.ts';
import { run as train } from './train.ts';

const RATE = 22050;

/** A LIST/INFO chunk naming the artist. */
function infoChunk(artist: string): { id: string; data: Uint8Array } {
  const name = new TextEncoder().encode(`${artist}\0`);
  const sub = new Uint8Array(8 + name.length + (name.length % 2));
  sub.set(new TextEncoder().encode('IART'), 0);
  new DataView(sub.buffer).setUint32(4, name.length, true);
  sub.set(name, 8);
  const data = new Uint8Array(4 + sub.length);
  data.set(new TextEncoder().encode('INFO'), 0);
  data.set(sub, 4);
  return { id: 'LIST', data };
}

/**
 * tones/ and noise/, 6 two-second files each; files 0-3 of each class carry an artist tag (two files per artist),
 * files 4-5 none.
 */
function makeFolder(root: string): string {
  const folder = join(root, 'sounds');
  const rng = createRng(5);
  for (const label of ['tones', 'noise']) {
    mkdirSync(join(folder, label), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const samples = Float32Array.from({ length: 2 * RATE }, (_, t) =>
        label === 'tones' ? 0.5 * Math.sin((2 * Math.PI * (220 + 60 * i) * t) / RATE) : 0.2 * randomNormal(rng),
      );
      const extraChunks = i < 4 ? [infoChunk(`${label} artist ${Math.floor(i / 2)}`)] : [];
      writeFileSync(join(folder, label, `${label}-${i}.wav`), encodeWav([samples], RATE, 'int16', { extraChunks }));
    }
  }
  return folder;
}

async function lastStdoutLine(work: () => Promise<number>): Promise<{ code: number; json: Record<string, unknown>; stderr: string[] }> {
  const lines: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void stderr.push(line));
  try {
    const code = await work();
    return { code, json: JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('muzo train on audio: --augment and --group-by artist', () => {
  let root = '';
  let folder = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'muzo-train-audio-'));
    folder = makeFolder(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('groups by the artist tags, trains on augmented copies only, and reports both', async () => {
    const { code, json, stderr } = await lastStdoutLine(() =>
      train([folder, '--no-final', '--model', 'logreg', '--segment', '1', '--folds', '2', '--seed', '3', '--group-by', 'artist', '--augment', '--fast']),
    );
    expect(code).toBe(0);
    expect(stderr).toContain('muzo: artist groups from tags: 8 files with an artist, 4 without (grouped by song)');
    expect(json.protocol).toMatchObject({
      kind: 'kfold',
      k: 2,
      grouping: 'artist',
      artists: { source: 'tags', filesWithArtist: 8, filesWithoutArtist: 4 },
      augmentation: { audio: { copies: 1, seed: 3, order: ['time stretch', 'pitch shift', 'gain', 'noise'] } },
    });
    expect((json.protocol as { description: string }).description).toMatch(
      /^stratified 2-fold, grouped by artist \(from artist tags: 8 of 12 files; the others by song\), song-level, training audio augmented \(1 copy per file/,
    );
    // 12 files x 2 one-second segments are scored; each copy (0.9-1.1x as long) adds 1 or 2 training rows.
    expect(json.rows).toBe(24);
    const augmentedRows = (json.augmentation as { augmentedRows: number }).augmentedRows;
    expect(augmentedRows).toBeGreaterThanOrEqual(12);
    expect(augmentedRows).toBeLessThanOrEqual(24);
    expect(json.songs).toBe(12);
    expect(json.accuracy).toBeGreaterThan(0.9);
  });

  it('refuses --augment on a features table and --group-by artist with --artist-pattern', async () => {
    const { code } = await lastStdoutLine(() => train([join(root, 'missing.csv'), '--no-final', '--augment']));
    expect(code).toBe(2);
    const both = await lastStdoutLine(() => train([folder, '--no-final', '--group-by', 'artist', '--artist-pattern', '^(\\w+)']));
    expect(both.code).toBe(2);
  });
});
