import { ANALYSIS_SAMPLE_RATE } from '../../core/audio/types.ts';
import { segmentFileName, type FeatureDataset, type FeatureRow } from '../../core/data/dataset.ts';
import { artistGrouping, groupsByArtistTag, groupsByPattern, type ArtistGrouping } from '../../core/data/splits.ts';
import type { FileItem } from '../pipeline/batch.ts';
import type { LabelledFile } from './labels.ts';

/**
 * A training folder's features as a dataset in the GTZAN table's layout: one row per segment (named like the
 * 3-second table, `song.3.wav`) or per file; files that failed are left out.
 */
export function folderDataset(files: LabelledFile[], items: FileItem[], segmentSeconds: number | null): FeatureDataset {
  let featureNames: string[] = [];
  const rows: FeatureRow[] = [];
  items.forEach((item, i) => {
    const a = item.analysis;
    if (item.state !== 'done' || !a) return;
    featureNames = a.featureNames;
    const width = featureNames.length;
    const file = item.path.split('/').pop() ?? item.path;
    const { label, group } = files[i];
    if (segmentSeconds === null) {
      if (a.clip) rows.push({ file, group, label, length: Math.round(a.durationSeconds * ANALYSIS_SAMPLE_RATE), features: a.clip });
      return;
    }
    for (let s = 0; s < a.segmentCount; s++) {
      const features = a.segments.slice(s * width, (s + 1) * width);
      rows.push({ file: segmentFileName(file, s), group, label, length: Math.floor(segmentSeconds * ANALYSIS_SAMPLE_RATE), features });
    }
  });
  return { featureNames, rows };
}

/**
 * The rows of the files' augmented copies (AnalysisResult.augmented), flagged `augmented`, with the file name,
 * song group and label of their original: they train with their song and are never tested.
 */
export function augmentedCopyRows(files: LabelledFile[], items: FileItem[], segmentSeconds: number | null): FeatureRow[] {
  const rows: FeatureRow[] = [];
  items.forEach((item, i) => {
    const a = item.analysis;
    if (item.state !== 'done' || !a?.augmented) return;
    const width = a.featureNames.length;
    const file = item.path.split('/').pop() ?? item.path;
    const { label, group } = files[i];
    for (const copy of a.augmented) {
      if (segmentSeconds === null) {
        if (copy.clip) rows.push({ file, group, label, length: Math.round((a.durationSeconds / copy.augmentation.stretchRate) * ANALYSIS_SAMPLE_RATE), features: copy.clip, augmented: true });
        continue;
      }
      for (let s = 0; s < copy.segmentCount; s++) {
        const features = copy.segments.slice(s * width, (s + 1) * width);
        rows.push({ file: segmentFileName(file, s), group, label, length: Math.floor(segmentSeconds * ANALYSIS_SAMPLE_RATE), features, augmented: true });
      }
    }
  });
  return rows;
}

/** What never straddles training and test: songs, or artists from the files' tags or from a file-name pattern. */
export type GroupingChoice = 'song' | 'artist' | 'pattern';

/**
 * The split group of each song (a file's `group`): the song itself, or its artist (from its tags, or from capture
 * group 1 of `pattern` on its path); a song without an artist keeps its own group. Only analysed files count.
 */
export function songSplitGroups(
  files: LabelledFile[],
  items: FileItem[],
  grouping: GroupingChoice,
  pattern: string,
): { groupOf: Map<string, string>; artists: ArtistGrouping | null } {
  const done = files.flatMap((file, i) => (items[i]?.state === 'done' && items[i].analysis ? [{ file, tags: items[i].analysis!.tags }] : []));
  const songs = done.map((d) => d.file.group);
  if (grouping === 'song') return { groupOf: new Map(songs.map((s) => [s, s])), artists: null };
  const paths = done.map((d) => d.file.picked.path);
  const groups =
    grouping === 'artist'
      ? groupsByArtistTag(
          paths,
          done.map((d) => d.tags?.artist),
        )
      : groupsByPattern(paths, pattern);
  return {
    groupOf: new Map(songs.map((s, i) => [s, groups[i]])),
    artists: artistGrouping(grouping === 'artist' ? 'tags' : 'pattern', songs, groups, grouping === 'pattern' ? pattern : undefined),
  };
}
