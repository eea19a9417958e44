import { describe, expect, it } from 'vitest';
import { formatFeaturesCsv, parseFeaturesCsv } from '../../core/data/csv.ts';
import type { PickedFile } from '../files/collect.ts';
import type { FileItem } from '../pipeline/batch.ts';
import { folderDataset } from './dataset.ts';
import { labelFiles } from './labels.ts';

const picked = (...paths: string[]): PickedFile[] => paths.map((path) => ({ path, file: new File([], path.split('/').pop()!) }));

function analysed(p: PickedFile, segments: number[][], ok = true): FileItem {
  return {
    id: p.path,
    file: p.file,
    path: p.path,
    state: ok ? 'done' : 'error',
    analysis: ok
      ? {
          featureNames: ['a', 'b'],
          clip: Float64Array.from([9, 8]),
          segments: Float64Array.from(segments.flat()),
          segmentCount: segments.length,
          segmentSeconds: 3,
          logMel: null,
          durationSeconds: 10,
          notes: [],
        }
      : undefined,
  } as FileItem;
}

describe('folderDataset', () => {
  const files = labelFiles(picked('Songs/rock/x.wav', 'Songs/jazz/y.mp3', 'Songs/jazz/broken.wav')).files;
  const items = [
    analysed(files[0].picked, [[1, 2], [3, 4]]),
    analysed(files[1].picked, [[5, 6]]),
    analysed(files[2].picked, [], false),
  ];

  it('gives one row per segment named like the 3-second table, keeps songs as groups, leaves failed files out', () => {
    const ds = folderDataset(files, items, 3);
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(ds.rows.map((r) => [r.file, r.label, r.group, r.length, [...r.features]])).toEqual([
      ['x.0.wav', 'rock', 'Songs/rock/x', 66150, [1, 2]],
      ['x.1.wav', 'rock', 'Songs/rock/x', 66150, [3, 4]],
      ['y.0.mp3', 'jazz', 'Songs/jazz/y', 66150, [5, 6]],
    ]);
  });

  it('gives one row per file without segments, and exports as a CSV that reads back', () => {
    const ds = folderDataset(files, items, null);
    expect(ds.rows.map((r) => [r.file, r.length, [...r.features]])).toEqual([
      ['x.wav', 220500, [9, 8]],
      ['y.mp3', 220500, [9, 8]],
    ]);
    const csv = formatFeaturesCsv(ds);
    expect(csv.split('\n')[0]).toBe('filename,length,a,b,label');
    expect(parseFeaturesCsv(csv).rows.map((r) => r.label)).toEqual(['rock', 'jazz']);
  });
});
