import { describe, expect, it } from 'vitest';
import { formatFeaturesCsv, parseFeaturesCsv } from '../../core/data/csv.ts';
import type { PickedFile } from '../files/collect.ts';
import type { FileItem } from '../pipeline/batch.ts';
import { augmentedCopyRows, folderDataset, songSplitGroups } from './dataset.ts';
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

describe('augmentedCopyRows and songSplitGroups', () => {
  const files = labelFiles(picked('Songs/rock/Ann - one.wav', 'Songs/rock/Ann - two.wav', 'Songs/jazz/solo.wav', 'Songs/jazz/bad.wav')).files;
  const copy = (stretchRate: number, segments: number[][]) => ({
    augmentation: { stretchRate, semitones: 1, gainDb: 0, snrDb: 30 },
    clip: Float64Array.from([7, 7]),
    segments: Float64Array.from(segments.flat()),
    segmentCount: segments.length,
    logMel: null,
  });
  const items = [
    analysed(files[0].picked, [[1, 2], [3, 4]]),
    analysed(files[1].picked, [[5, 6]]),
    analysed(files[2].picked, [[7, 8]]),
    analysed(files[3].picked, [], false),
  ];
  items[0].analysis!.augmented = [copy(1.1, [[10, 20]])];
  items[2].analysis!.augmented = [copy(0.9, [[30, 40], [50, 60]]), copy(1, [[70, 80]])];
  items[0].analysis!.tags = { artist: 'The Band' };
  items[1].analysis!.tags = { artist: ' the  band ', title: 'Two' };

  it('gives the copies rows flagged augmented, with their original file name, song and label', () => {
    expect(augmentedCopyRows(files, items, 3).map((r) => [r.file, r.group, r.label, r.augmented, [...r.features]])).toEqual([
      ['Ann - one.0.wav', 'Songs/rock/Ann - one', 'rock', true, [10, 20]],
      ['solo.0.wav', 'Songs/jazz/solo', 'jazz', true, [30, 40]],
      ['solo.1.wav', 'Songs/jazz/solo', 'jazz', true, [50, 60]],
      ['solo.0.wav', 'Songs/jazz/solo', 'jazz', true, [70, 80]],
    ]);
    // Whole-file rows: one per copy, as long as the stretched audio.
    expect(augmentedCopyRows(files, items, null).map((r) => [r.file, r.length])).toEqual([
      ['Ann - one.wav', 200455],
      ['solo.wav', 245000],
      ['solo.wav', 220500],
    ]);
  });

  it('groups songs by themselves, by artist tag, or by a file-name pattern, counting songs with an artist', () => {
    expect([...songSplitGroups(files, items, 'song', '').groupOf]).toEqual([
      ['Songs/rock/Ann - one', 'Songs/rock/Ann - one'],
      ['Songs/rock/Ann - two', 'Songs/rock/Ann - two'],
      ['Songs/jazz/solo', 'Songs/jazz/solo'],
    ]);
    const byTag = songSplitGroups(files, items, 'artist', '');
    expect([...byTag.groupOf.values()]).toEqual(['artist:the band', 'artist:the band', 'song:Songs/jazz/solo']);
    expect(byTag.artists).toEqual({ source: 'tags', filesWithArtist: 2, filesWithoutArtist: 1 });
    const byName = songSplitGroups(files, items, 'pattern', '([^/]+?) - [^/]+$');
    expect([...byName.groupOf.values()]).toEqual(['artist:ann', 'artist:ann', 'song:Songs/jazz/solo']);
    expect(byName.artists).toEqual({ source: 'pattern', pattern: '([^/]+?) - [^/]+$', filesWithArtist: 2, filesWithoutArtist: 1 });
  });
});
