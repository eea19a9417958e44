/**
 * PCA and LDA 2-D projections off the UI thread: a thin comlink adapter over src/core/metrics/projections.ts.
 * Rows travel packed in one transferred Float64Array (n × d), points come back packed (n × 2).
 */
import { expose, transfer } from 'comlink';
import { lda2d, pca2d, type ProjectedPoints } from '../src/core/metrics/projections.ts';

export interface PackedProjection {
  /** x0, y0, x1, y1, … */
  points: Float64Array;
  explainedVariance: [number, number];
}

function unpackRows(packed: Float64Array, width: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let start = 0; start < packed.length; start += width) rows.push(packed.subarray(start, start + width));
  return rows;
}

function packPoints(result: ProjectedPoints): PackedProjection {
  const points = new Float64Array(result.points.length * 2);
  result.points.forEach(([x, y], i) => {
    points[2 * i] = x;
    points[2 * i + 1] = y;
  });
  return transfer({ points, explainedVariance: result.explainedVariance }, [points.buffer]);
}

const projectionApi = {
  pca(packed: Float64Array, width: number): PackedProjection {
    return packPoints(pca2d(unpackRows(packed, width)));
  },
  lda(packed: Float64Array, width: number, labels: string[]): PackedProjection {
    return packPoints(lda2d(unpackRows(packed, width), labels));
  },
};

export type ProjectionApi = typeof projectionApi;

expose(projectionApi);
