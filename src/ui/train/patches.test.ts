import { describe, expect, it } from 'vitest';
import type { PickedFile } from '../files/collect.ts';
import type { FileItem } from '../pipeline/batch.ts';
import { labelFiles } from './labels.ts';
import { logMelTrainingRows } from './patches.ts';

const picked = (...paths: string[]): PickedFile[] => paths.map((path) => ({ path, file: new File([], path.split('/').pop()!) }));

/** An analysed file whose patches are 2 frames x 2 bands, patch p of file f filled with 10 * f + p. */
function withPatches(p: PickedFile, f: number, patchCount: number, ok = true): FileItem {
  const data = new Float32Array(patchCount * 4);
  for (let i = 0; i < patchCount; i++) data.fill(10 * f + i, i * 4, (i + 1) * 4);
  return {
    id: p.path,
    file: p.file,
    path: p.path,
    state: ok ? 'done' : 'error',
    analysis: ok ? { logMel: { data, patchCount, nFrames: 2, nMels: 2 } } : undefined,
  } as FileItem;
}

describe('logMelTrainingRows', () => {
  const files = labelFiles(picked('Songs/rock/x.wav', 'Songs/jazz/y.mp3', 'Songs/jazz/broken.wav')).files;
  const items = [withPatches(files[0].picked, 1, 2), withPatches(files[1].picked, 2, 1), withPatches(files[2].picked, 3, 1, false)];

  it('gives one row per patch with its song and label, packs the patches in row order, leaves failed files out', () => {
    const groupOf = new Map(files.map((f) => [f.group, f.group]));
    const { rows, features, featureNames } = logMelTrainingRows(files, items, groupOf);
    expect(featureNames).toEqual(['logmel']);
    expect(rows.map((r) => [r.file, r.label, r.song === r.group])).toEqual([
      ['x.0.wav', 'rock', true],
      ['x.1.wav', 'rock', true],
      ['y.0.mp3', 'jazz', true],
    ]);
    expect(rows[0].song).toBe(rows[1].song);
    expect(rows[0].song).not.toBe(rows[2].song);
    expect(Array.from(features)).toEqual([10, 10, 10, 10, 11, 11, 11, 11, 20, 20, 20, 20]);
  });

  it('adds the patches of augmented copies, flagged, after their file', () => {
    const item = withPatches(files[0].picked, 1, 1);
    const copy = withPatches(files[0].picked, 5, 1).analysis!.logMel!;
    item.analysis = { ...item.analysis!, augmented: [{ logMel: copy } as NonNullable<NonNullable<FileItem['analysis']>['augmented']>[number]] };
    const { rows, features } = logMelTrainingRows(files, [item, items[1]], new Map());
    expect(rows.map((r) => [r.file, r.augmented ?? false])).toEqual([
      ['x.0.wav', false],
      ['x.0.wav', true],
      ['y.0.mp3', false],
    ]);
    expect(Array.from(features.filter((_, i) => i % 4 === 0))).toEqual([10, 50, 20]);
  });

  it('splits by the group its song maps to (an artist), keeping the song', () => {
    const groupOf = new Map([[files[0].group, 'artist A'], [files[1].group, 'artist A']]);
    const { rows } = logMelTrainingRows(files, items, groupOf);
    expect(rows.every((r) => r.group === 'artist A')).toBe(true);
    expect(new Set(rows.map((r) => r.song)).size).toBe(2);
  });
});
