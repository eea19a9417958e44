import type { ModelMetadata } from '../../core/models/bundle.ts';
import { formatMegabytes } from '../../store/sizes.ts';
import { readEvaluations } from '../explore/evaluationView.ts';
import { formatPercent } from '../charts/ChartFigure.tsx';

/** Known faults of GTZAN (Sturm 2013), stated on the built-in model's card. */
export const GTZAN_LIMITS = [
  'Strong artist repetition within genres (e.g. many reggae clips by one artist): splits not grouped by artist are optimistic.',
  'Some clips are mislabeled and some excerpts are repeated or near-duplicates (Sturm, 2013).',
  '30-second clips of mostly 1990s–2000s recordings; other eras and productions may be classified less reliably.',
  'Ten Western genres only: every song is forced into one of them; there is no “other” class.',
];

/** Limits any model has, read from its own metadata. */
function genericLimits(metadata: ModelMetadata, smallestClass: number | null): string[] {
  const limits = [
    `Knows ${metadata.labels.length} classes only: any other music is still assigned to one of them.`,
    `Needs features of version ${metadata.featureSetVersion}; songs are analysed with that feature set.`,
  ];
  if (smallestClass !== null && smallestClass < 20) {
    limits.push(`The smallest class has ${smallestClass} test examples: its metrics are uncertain.`);
  }
  return limits;
}

/** What the evaluation says about the training data (the CLI and the Train view record songs and rows). */
function dataFromEvaluation(evaluation: unknown): string | undefined {
  if (typeof evaluation !== 'object' || evaluation === null) return undefined;
  const { songs, rows } = evaluation as { songs?: unknown; rows?: unknown };
  if (typeof songs !== 'number' || typeof rows !== 'number') return undefined;
  return rows === songs ? `${songs} songs, one feature row each.` : `${songs} songs cut into ${rows} segments (one feature row each).`;
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The facts a user needs to trust (or not) a model: data, labels, protocol and metrics, features, limits. */
export function ModelCard({
  metadata,
  builtin = false,
  sizeBytes,
  dataDescription,
}: {
  metadata: ModelMetadata;
  builtin?: boolean;
  sizeBytes?: number;
  /** What the model was trained on, when known beyond its metadata. */
  dataDescription?: string;
}) {
  const evaluations = readEvaluations(metadata.evaluation, metadata.labels);
  const supports = evaluations.flatMap((e) => e.view.perClass.map((s) => s.support ?? e.view.confusion[e.view.labels.indexOf(s.label)]?.reduce((a, b) => a + b, 0) ?? 0));
  const smallestClass = supports.length > 0 ? Math.min(...supports) : null;
  const limits = [...(builtin ? GTZAN_LIMITS : []), ...genericLimits(metadata, smallestClass)];
  const subLabels = metadata.hierarchy?.subLabels;
  const data = dataDescription ?? dataFromEvaluation(metadata.evaluation);
  return (
    <dl className="model-card">
      {data && (
        <>
          <dt>Data</dt>
          <dd>{data}</dd>
        </>
      )}
      <dt>Labels ({metadata.labels.length})</dt>
      <dd>
        {subLabels ? (
          <ul className="model-card-hierarchy">
            {metadata.labels.map((genre) => (
              <li key={genre}>
                {genre}
                {subLabels[genre]?.length ? `: ${subLabels[genre].join(', ')}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          metadata.labels.join(', ')
        )}
      </dd>
      <dt>Metrics</dt>
      <dd>
        {evaluations.length === 0 ? (
          'No evaluation is stored with this model.'
        ) : (
          <ul>
            {evaluations.map(({ name, view }) => (
              <li key={name}>
                {evaluations.length > 1 && <strong>{name}: </strong>}
                accuracy {view.accuracy !== null ? formatPercent(view.accuracy) : 'n/a'}, macro-F1{' '}
                {view.macroF1 !== null ? formatPercent(view.macroF1) : 'n/a'}
                {view.folds && `, mean accuracy over ${view.folds.count} folds ${formatPercent(view.folds.meanAccuracy)} ± ${formatPercent(view.folds.stdAccuracy)}`}{' '}
                <span className="muted">({view.protocol})</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Model</dt>
      <dd>
        {metadata.kind}
        {metadata.input === 'logmel' ? ' on log-mel patches' : ` on ${metadata.featureNames.length} features`}
        {metadata.segmentSeconds ? `, ${metadata.segmentSeconds} s segments` : ''}
      </dd>
      <dt>Feature set</dt>
      <dd>{metadata.featureSetVersion}</dd>
      <dt>Trained on backend</dt>
      <dd>{metadata.backend}</dd>
      <dt>Created</dt>
      <dd>{formatDate(metadata.createdAt)}</dd>
      {metadata.updatedAt !== metadata.createdAt && (
        <>
          <dt>Updated</dt>
          <dd>{formatDate(metadata.updatedAt)}</dd>
        </>
      )}
      {sizeBytes !== undefined && (
        <>
          <dt>Size</dt>
          <dd>{formatMegabytes(sizeBytes)}</dd>
        </>
      )}
      <dt>Known limits</dt>
      <dd>
        <ul>
          {limits.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}
