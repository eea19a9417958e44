import { segmentFileName } from '../../core/data/dataset.ts';
import { LOGMEL_FEATURE_NAMES } from '../../core/models/kinds/cnn.ts';
import type { TrainingRequest } from '../../../workers/training.ts';
import type { FileItem } from '../pipeline/batch.ts';
import type { LabelledFile } from './labels.ts';

/**
 * The training worker's rows for a model on log-mel patches (the CNN): one row per patch of each analysed file
 * (named like its segment, `song.3.wav`), then the patches of its augmented copies (flagged `augmented`: trained on,
 * never tested), packed one after another. A row's song is its file; it splits by `groupOf` its song (the song
 * itself, or its artist).
 */
export function logMelTrainingRows(
  files: LabelledFile[],
  items: FileItem[],
  groupOf: Map<string, string>,
): Pick<TrainingRequest, 'rows' | 'features' | 'featureNames'> {
  const rows: TrainingRequest['rows'] = [];
  const parts: Float32Array[] = [];
  let width = 0;
  items.forEach((item, i) => {
    const a = item.analysis;
    if (item.state !== 'done' || !a?.logMel) return;
    const file = item.path.split('/').pop() ?? item.path;
    const { label, group } = files[i];
    const add = (mel: NonNullable<typeof a.logMel>, augmented: boolean) => {
      const size = mel.nFrames * mel.nMels;
      if (width !== 0 && size !== width) throw new Error(`${item.path}: its log-mel patches have another shape than the other files'`);
      width = size;
      for (let p = 0; p < mel.patchCount; p++) {
        rows.push({ file: segmentFileName(file, p), group: groupOf.get(group) ?? group, song: group, label, ...(augmented ? { augmented } : {}) });
      }
      parts.push(mel.data.subarray(0, mel.patchCount * size));
    };
    add(a.logMel, false);
    for (const copy of a.augmented ?? []) if (copy.logMel) add(copy.logMel, true);
  });
  const features = new Float32Array(rows.length * width);
  let offset = 0;
  for (const part of parts) {
    features.set(part, offset);
    offset += part.length;
  }
  return { rows, features, featureNames: [...LOGMEL_FEATURE_NAMES] };
}
