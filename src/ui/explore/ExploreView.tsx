import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CsvError, parseFeaturesCsv } from '../../core/data/csv.ts';
import type { FeatureDataset } from '../../core/data/dataset.ts';
import type { ModelMetadata } from '../../core/models/bundle.ts';
import { listDatasets, loadDataset, type DatasetSummary } from '../../store/datasets.ts';
import { listModels, type ModelSummary } from '../../store/models.ts';
import { useAppState } from '../state/AppState.tsx';
import { builtinManifest, fetchBuiltinDatasetCsv, fetchBuiltinMetadata, type BuiltinManifest } from '../models/builtin.ts';
import { fileStem, indexByStem } from './audioFolder.ts';
import { DatasetCharts } from './DatasetCharts.tsx';
import { EvaluationCharts } from './EvaluationCharts.tsx';
import { readEvaluations, readTrainingHistory, type EvaluationView, type TrainingHistoryView } from './evaluationView.ts';
import { TrainingCurves } from '../charts/TrainingCurves.tsx';
import { QuickEvaluation } from './QuickEvaluation.tsx';
import './explore.css';

/** What is being explored: a dataset (with or without an evaluation) or a model's stored evaluation. */
type SourceKey = 'builtin' | 'csv' | `dataset:${string}` | 'model:builtin' | `model:${string}`;

interface Explored {
  title: string;
  dataset: FeatureDataset | null;
  evaluations: Array<{ name: string; view: EvaluationView }>;
  /** Where the evaluation came from, shown beside its metrics. */
  evaluationSource: string;
  /** The model's training curves, when a model is explored. */
  history: TrainingHistoryView | null;
}

type Loaded = { status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; explored: Explored };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function evaluationsOf(metadata: ModelMetadata) {
  return readEvaluations(metadata.evaluation, metadata.labels);
}

/** Explore a dataset or a model evaluation: confusion matrix, per-class scores, projections, distributions, counts. */
export function ExploreView() {
  const { modelsVersion, datasetsVersion } = useAppState();
  const [manifest, setManifest] = useState<BuiltinManifest | null | undefined>(undefined);
  const [savedDatasets, setSavedDatasets] = useState<DatasetSummary[]>([]);
  const [savedModels, setSavedModels] = useState<ModelSummary[]>([]);
  const [source, setSource] = useState<SourceKey | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'idle' });
  const [audio, setAudio] = useState<Map<string, File> | null>(null);
  const [playing, setPlaying] = useState<{ file: string; url: string } | null>(null);
  const csvInput = useRef<HTMLInputElement>(null);
  const sourceSelectId = useId();

  useEffect(() => {
    void builtinManifest().then((m) => {
      setManifest(m);
      // First open: the built-in dataset when there is one.
      setSource((s) => s ?? (m?.dataset ? 'builtin' : null));
    });
  }, []);
  useEffect(() => {
    listDatasets().then(setSavedDatasets, () => setSavedDatasets([]));
  }, [datasetsVersion]);
  useEffect(() => {
    listModels().then(setSavedModels, () => setSavedModels([]));
  }, [modelsVersion]);

  useEffect(() => {
    if (source === null || source === 'csv') return;
    let live = true;
    setLoaded({ status: 'loading' });
    loadSource(source, savedModels).then(
      (explored) => live && setLoaded({ status: 'ready', explored }),
      (error: unknown) => live && setLoaded({ status: 'error', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
    // savedModels is read only for a model's metadata, already in the list when that source was chosen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source]);

  useEffect(() => () => {
    if (playing) URL.revokeObjectURL(playing.url);
  }, [playing]);

  async function importCsv(file: File) {
    setSource('csv');
    setLoaded({ status: 'loading' });
    try {
      const dataset = parseFeaturesCsv(await file.text());
      setLoaded({ status: 'ready', explored: { title: file.name, dataset, evaluations: [], evaluationSource: '', history: null } });
    } catch (error) {
      const why = error instanceof CsvError ? error.message : `the file could not be read (${messageOf(error)})`;
      setLoaded({
        status: 'error',
        message: `${file.name} is not a features CSV muzo can read: ${why}. Expected the GTZAN table layout: filename,length,<feature columns>,label.`,
      });
    }
    if (csvInput.current) csvInput.current.value = '';
  }

  const explored = loaded.status === 'ready' ? loaded.explored : null;
  const playable = useMemo(() => {
    if (!audio || !explored?.dataset) return 0;
    return explored.dataset.rows.filter((r) => audio.has(fileStem(r.file))).length;
  }, [audio, explored]);

  function play(file: string) {
    const match = audio?.get(fileStem(file));
    if (!match) return;
    setPlaying({ file: match.name, url: URL.createObjectURL(match) });
  }

  return (
    <section aria-labelledby="explore-heading" className="explore">
      <h2 id="explore-heading">Explore</h2>
      <div className="card explore-sources">
        <label htmlFor={sourceSelectId}>Data to explore</label>
        <select
          id={sourceSelectId}
          value={source === 'csv' ? '' : (source ?? '')}
          onChange={(e) => e.target.value && setSource(e.target.value as SourceKey)}
        >
          <option value="" disabled>
            {source === 'csv' ? 'Imported CSV (see below)' : 'Choose…'}
          </option>
          {manifest?.dataset && (
            <optgroup label="Built-in">
              <option value="builtin">GTZAN features table{manifest.model ? ' (with the built-in model’s evaluation)' : ''}</option>
            </optgroup>
          )}
          {savedDatasets.length > 0 && (
            <optgroup label="Saved datasets">
              {savedDatasets.map((d) => (
                <option key={d.id} value={`dataset:${d.id}`}>
                  {d.name} ({d.rowCount} rows, {d.labels.length} classes)
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Model evaluations">
            {manifest?.model && <option value="model:builtin">Built-in GTZAN model</option>}
            {savedModels.map((m) => (
              <option key={m.id} value={`model:${m.id}`}>
                {m.metadata.name}
              </option>
            ))}
          </optgroup>
        </select>
        <label className="button">
          Import a features CSV
          <input
            ref={csvInput}
            className="visually-hidden"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void importCsv(file);
            }}
          />
        </label>
        {manifest === null && <p className="muted">No built-in dataset is available in this build.</p>}
      </div>

      {loaded.status === 'idle' && manifest !== undefined && <p>Choose a dataset or a model above, or import a features CSV.</p>}
      {loaded.status === 'loading' && <p role="status">Loading…</p>}
      {loaded.status === 'error' && (
        <p role="alert" className="error-text">
          {loaded.message}
        </p>
      )}
      {explored && (
        <>
          <h3>{explored.title}</h3>
          {explored.dataset && (
            <p>
              {explored.dataset.rows.length} rows, {explored.dataset.featureNames.length} features.
            </p>
          )}
          <h4>Model evaluation</h4>
          {explored.evaluations.length > 0 ? (
            explored.evaluations.map(({ name, view }) => (
              <div key={name}>
                {explored.evaluations.length > 1 && <h5>{name}</h5>}
                <EvaluationCharts view={view} source={explored.evaluationSource} level={explored.evaluations.length > 1 ? name : undefined} />
              </div>
            ))
          ) : explored.dataset ? (
            <QuickEvaluation dataset={explored.dataset} />
          ) : (
            <p>This model has no stored evaluation.</p>
          )}
          {explored.history && (
            <>
              <h4>Training curves</h4>
              <p className="muted">
                Training of the model ({explored.history.epochs.length} epochs
                {explored.history.bestEpoch !== null ? `; epoch ${explored.history.bestEpoch} had the lowest validation loss` : ''}
                {explored.history.refitEpochs !== null
                  ? `; the deployed model was then refit on all rows for ${explored.history.refitEpochs} epochs, without validation`
                  : ''}
                ).
              </p>
              <TrainingCurves history={explored.history.epochs} />
            </>
          )}
          {explored.dataset ? (
            <>
              <h4>Dataset</h4>
              <div className="row explore-audio">
                <label className="button">
                  Choose the audio folder to play points
                  <input
                    className="visually-hidden"
                    type="file"
                    multiple
                    {...{ webkitdirectory: '' }}
                    onChange={(e) => {
                      const files = e.currentTarget.files;
                      if (files) setAudio(indexByStem(Array.from(files)));
                    }}
                  />
                </label>
                {audio && (
                  <span role="status">
                    {playable} of {explored.dataset.rows.length} rows have their audio at hand{playable > 0 ? ': click a point to play it, or pick it here.' : '.'}
                  </span>
                )}
                {audio && playable > 0 && (
                  <select aria-label="Play a file" value="" onChange={(e) => e.target.value && play(e.target.value)}>
                    <option value="">Play a file…</option>
                    {[...new Map(explored.dataset.rows.filter((r) => audio.has(fileStem(r.file))).map((r) => [fileStem(r.file), r])).values()].map((r) => (
                      <option key={r.file} value={r.file}>
                        {r.file} ({r.label})
                      </option>
                    ))}
                  </select>
                )}
              </div>
              {playing && (
                <figure className="explore-player">
                  <figcaption>Playing {playing.file}</figcaption>
                  <audio controls autoPlay src={playing.url} />
                </figure>
              )}
              <DatasetCharts dataset={explored.dataset} onPlay={playable > 0 ? play : undefined} />
            </>
          ) : (
            <p className="muted">
              Projections, feature distributions and class counts need the data: choose a dataset above (the built-in model was trained on the
              GTZAN features table).
            </p>
          )}
        </>
      )}
    </section>
  );
}

async function loadSource(source: SourceKey, savedModels: ModelSummary[]): Promise<Explored> {
  if (source === 'builtin') {
    const [csv, metadata] = await Promise.all([fetchBuiltinDatasetCsv(), fetchBuiltinMetadata()]);
    if (csv === null) throw new Error('No built-in dataset is available in this build.');
    return {
      title: 'Built-in GTZAN features table',
      dataset: parseFeaturesCsv(csv),
      evaluations: metadata ? evaluationsOf(metadata) : [],
      evaluationSource: 'Built-in model, evaluated on this table',
      history: metadata ? readTrainingHistory(metadata.history) : null,
    };
  }
  if (source === 'model:builtin') {
    const metadata = await fetchBuiltinMetadata();
    if (!metadata) throw new Error('No built-in model is available in this build.');
    return {
      title: `Evaluation of ${metadata.name}`,
      dataset: null,
      evaluations: evaluationsOf(metadata),
      evaluationSource: metadata.name,
      history: readTrainingHistory(metadata.history),
    };
  }
  if (source.startsWith('model:')) {
    const id = source.slice('model:'.length);
    const model = savedModels.find((m) => m.id === id);
    if (!model) throw new Error('That model is no longer saved.');
    return {
      title: `Evaluation of ${model.metadata.name}`,
      dataset: null,
      evaluations: evaluationsOf(model.metadata),
      evaluationSource: model.metadata.name,
      history: readTrainingHistory(model.metadata.history),
    };
  }
  const stored = await loadDataset(source.slice('dataset:'.length));
  return { title: stored.name, dataset: stored.dataset, evaluations: [], evaluationSource: '', history: null };
}
