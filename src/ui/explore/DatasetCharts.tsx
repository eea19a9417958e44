import { useEffect, useMemo, useState } from 'react';
import { labelsOf, type FeatureDataset } from '../../core/data/dataset.ts';
import { classCounts } from '../../core/metrics/featureStats.ts';
import { ClassCounts } from '../charts/ClassCounts.tsx';
import { ProjectionScatter, type ProjectedPoint } from '../charts/ProjectionScatter.tsx';
import { formatPercent } from '../charts/ChartFigure.tsx';
import { computeProjections, type Projections } from './projectionClient.ts';
import { FeatureDistributionPanel } from './FeatureDistributionPanel.tsx';

/** Recharts draws every point as an SVG node: past this many, a regular subsample is drawn (the fit uses all rows). */
export const MAX_PLOTTED_POINTS = 2000;

type ProjectionState = { status: 'running' } | { status: 'error'; message: string } | { status: 'ready'; projections: Projections };

function plottedPoints(dataset: FeatureDataset, packed: Float64Array): ProjectedPoint[] {
  const stride = Math.max(1, Math.ceil(dataset.rows.length / MAX_PLOTTED_POINTS));
  const points: ProjectedPoint[] = [];
  for (let i = 0; i < dataset.rows.length; i += stride) {
    const row = dataset.rows[i];
    points.push({ x: packed[2 * i], y: packed[2 * i + 1], label: row.label, file: row.file });
  }
  return points;
}

/** Charts of a dataset itself: class counts, PCA and LDA projections (in a worker), one feature's distribution. */
export function DatasetCharts({
  dataset,
  onPlay,
}: {
  dataset: FeatureDataset;
  /** Given when audio for the dataset's files is at hand: plays the file of a clicked point. */
  onPlay?: (file: string) => void;
}) {
  const labels = useMemo(() => labelsOf(dataset), [dataset]);
  const counts = useMemo(() => classCounts(dataset.rows.map((r) => r.label), dataset.rows.map((r) => r.group)), [dataset]);
  const segmented = counts.some((c) => c.songs !== c.rows);
  const [projection, setProjection] = useState<ProjectionState>({ status: 'running' });

  useEffect(() => {
    const abort = new AbortController();
    setProjection({ status: 'running' });
    computeProjections(dataset, abort.signal).then(
      (projections) => setProjection({ status: 'ready', projections }),
      (error: unknown) => {
        if (!abort.signal.aborted) setProjection({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => abort.abort();
  }, [dataset]);

  const subsampled = dataset.rows.length > MAX_PLOTTED_POINTS;
  const sampleNote = subsampled ? ` Every ${Math.ceil(dataset.rows.length / MAX_PLOTTED_POINTS)}th row is drawn; the fit uses all ${dataset.rows.length}.` : '';
  const play = onPlay ? (p: ProjectedPoint) => onPlay(p.file) : undefined;

  return (
    <div className="explore-dataset">
      <ClassCounts counts={counts.map((c) => ({ label: c.label, count: segmented ? c.songs : c.rows }))} unit={segmented ? 'songs' : 'rows'} />
      {segmented && <p className="muted">{dataset.rows.length} rows are segments of these songs.</p>}
      {projection.status === 'running' && (
        <p role="status" className="muted">
          Computing PCA and LDA projections…
        </p>
      )}
      {projection.status === 'error' && <p role="alert" className="error-text">The projections could not be computed: {projection.message}</p>}
      {projection.status === 'ready' && (
        <div className="grid-2">
          <ProjectionScatter
            title="PCA projection"
            description={`Principal components of the standardized features: the two directions of greatest variance.${sampleNote}`}
            points={plottedPoints(dataset, projection.projections.pca.points)}
            labels={labels}
            xLabel={`PC1 (${formatPercent(projection.projections.pca.explainedVariance[0], 0)} of variance)`}
            yLabel={`PC2 (${formatPercent(projection.projections.pca.explainedVariance[1], 0)})`}
            onPointClick={play}
          />
          <ProjectionScatter
            title="LDA projection"
            description={`Fisher linear discriminants: the two directions that best separate the classes (fit on all rows, so it shows separability, not generalization).${sampleNote}`}
            points={plottedPoints(dataset, projection.projections.lda.points)}
            labels={labels}
            xLabel={`LD1 (${formatPercent(projection.projections.lda.explainedVariance[0], 0)} of separation)`}
            yLabel={`LD2 (${formatPercent(projection.projections.lda.explainedVariance[1], 0)})`}
            onPointClick={play}
          />
        </div>
      )}
      <FeatureDistributionPanel dataset={dataset} />
    </div>
  );
}
