import { transfer, wrap, releaseProxy } from 'comlink';
import type { FeatureDataset } from '../../core/data/dataset.ts';
import type { PackedProjection, ProjectionApi } from '../../../workers/projection.worker.ts';

export interface Projections {
  pca: PackedProjection;
  lda: PackedProjection;
}

function packRows(dataset: FeatureDataset): Float64Array {
  const width = dataset.featureNames.length;
  const packed = new Float64Array(dataset.rows.length * width);
  dataset.rows.forEach((row, i) => packed.set(row.features, i * width));
  return packed;
}

/**
 * PCA and LDA of a dataset, computed in a dedicated worker that is terminated afterwards (or on abort), so the
 * page stays responsive and an abandoned computation costs nothing.
 */
export async function computeProjections(dataset: FeatureDataset, signal?: AbortSignal): Promise<Projections> {
  if (signal?.aborted) throw new DOMException('projection cancelled', 'AbortError');
  const worker = new Worker(new URL('../../../workers/projection.worker.ts', import.meta.url), { type: 'module', name: 'projection' });
  const api = wrap<ProjectionApi>(worker);
  const stop = () => {
    api[releaseProxy]();
    worker.terminate();
  };
  const aborted = new Promise<never>((_, reject) => {
    signal?.addEventListener('abort', () => reject(new DOMException('projection cancelled', 'AbortError')), { once: true });
  });
  try {
    const width = dataset.featureNames.length;
    const labels = dataset.rows.map((r) => r.label);
    const pcaRows = packRows(dataset);
    const ldaRows = pcaRows.slice();
    const pca = await Promise.race([api.pca(transfer(pcaRows, [pcaRows.buffer]), width), aborted]);
    const lda = await Promise.race([api.lda(transfer(ldaRows, [ldaRows.buffer]), width, labels), aborted]);
    return { pca, lda };
  } finally {
    stop();
  }
}
