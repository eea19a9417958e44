import { ANALYSIS_SAMPLE_RATE } from '../../core/audio/types.ts';
import { segmentFileName, type FeatureDataset, type FeatureRow } from '../../core/data/dataset.ts';
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
      rows.push({ file, group, label, length: Math.round(a.durationSeconds * ANALYSIS_SAMPLE_RATE), features: a.clip });
      return;
    }
    for (let s = 0; s < a.segmentCount; s++) {
      const features = a.segments.slice(s * width, (s + 1) * width);
      rows.push({ file: segmentFileName(file, s), group, label, length: Math.floor(segmentSeconds * ANALYSIS_SAMPLE_RATE), features });
    }
  });
  return { featureNames, rows };
}
