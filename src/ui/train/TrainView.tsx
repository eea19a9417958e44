import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { defaultAudioAugmentation } from '../../core/audio/augment.ts';
import { FEATURE_SET_VERSION } from '../../core/features/gtzan.ts';
import type { EvaluationResult } from '../../core/models/evaluate.ts';
import { formatFeaturesCsv } from '../../core/data/csv.ts';
import type { FeatureDataset, FeatureRow } from '../../core/data/dataset.ts';
import { saveDataset } from '../../store/datasets.ts';
import { saveModel } from '../../store/models.ts';
import type { TrainingProgress, TrainingRequest } from '../../../workers/training.ts';
import { AbortError } from '../../../workers/pool.ts';
import { TrainingCurves } from '../charts/TrainingCurves.tsx';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { FilePickers } from '../files/FilePickers.tsx';
import { useFileDrop } from '../files/useFileDrop.ts';
import type { PickedFile } from '../files/collect.ts';
import { analyseBatch, newFileItems, type FileItem } from '../pipeline/batch.ts';
import { useAppState } from '../state/AppState.tsx';
import { TFJS_WASM_PATH } from '../classify/activeModel.ts';
import { downloadBytes } from '../models/download.ts';
import { augmentedCopyRows, folderDataset, songSplitGroups } from './dataset.ts';
import { LabelTreeView } from './LabelTreeView.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import { TrainResults } from './TrainResults.tsx';
import { labelFiles, labelTree } from './labels.ts';
import { AUDIO_AUGMENTATION_COPIES, AUGMENTATION_MIXUP_ALPHA, DEFAULT_SETTINGS, validPattern, type TrainSettings } from './settings.ts';
import { runTraining } from './trainingClient.ts';
import { finishedTrainingStatus, nextTrainingStatus, trainingBar, type TrainingStatus } from './trainingStatus.ts';
import { logMelTrainingRows } from './patches.ts';
import { getModelKind } from '../../core/models/registry.ts';

type Phase =
  | { name: 'idle' }
  | { name: 'extracting' }
  | { name: 'training' }
  | { name: 'done'; modelId: string; modelName: string; evaluation: EvaluationResult | null; backend: string; backendReason: string }
  | { name: 'failed'; message: string }
  | { name: 'cancelled' };

const FINISHED = new Set(['done', 'error', 'cancelled']);

/**
 * The training worker's rows and their features packed one after another: the folder's rows, then its augmented
 * copies' rows. A row's song is its file (the dataset's group); it splits by `groupOf` its song (song or artist).
 */
function trainingRows(
  dataset: FeatureDataset,
  copies: FeatureRow[],
  groupOf: Map<string, string>,
): Pick<TrainingRequest, 'rows' | 'features' | 'featureNames'> {
  const all = [...dataset.rows, ...copies];
  const width = dataset.featureNames.length;
  const features = new Float64Array(all.length * width);
  all.forEach((r, i) => features.set(r.features, i * width));
  const rows = all.map((r) => ({ file: r.file, group: groupOf.get(r.group) ?? r.group, song: r.group, label: r.label, ...(r.augmented ? { augmented: true } : {}) }));
  return { rows, features, featureNames: dataset.featureNames };
}

export function TrainView({ active = true }: { active?: boolean }) {
  const { refreshModels, refreshDatasets, setActiveModelId, activeModelId, upsertJob } = useAppState();
  const [picked, setPicked] = useState<PickedFile[]>([]);
  const [settings, setSettings] = useState<TrainSettings>(DEFAULT_SETTINGS);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [items, setItems] = useState<FileItem[]>([]);
  const [status, setStatus] = useState<TrainingStatus | null>(null);
  const [dataset, setDataset] = useState<FeatureDataset | null>(null);
  const [datasetNote, setDatasetNote] = useState('');
  const controller = useRef<AbortController | null>(null);

  const { files, unlabelled } = useMemo(() => labelFiles(picked), [picked]);
  const tree = useMemo(() => labelTree(files), [files]);
  const busy = phase.name === 'extracting' || phase.name === 'training';
  const folderName = picked[0]?.path.split('/')[0] ?? '';

  const onFolder = useCallback(
    (chosen: PickedFile[]) => {
      if (busy) return;
      setPicked(chosen);
      setItems([]);
      setStatus(null);
      setDataset(null);
      setDatasetNote('');
      setPhase({ name: 'idle' });
      setSettings((s) => ({ ...s, name: s.name || `${chosen[0]?.path.split('/')[0] ?? 'My'} model` }));
    },
    [busy],
  );
  const dragging = useFileDrop(onFolder, active && !busy);

  async function start() {
    const abort = new AbortController();
    controller.current = abort;
    const fileItems = newFileItems(files.map((f) => f.picked));
    setItems(fileItems);
    setStatus(null);
    setPhase({ name: 'extracting' });
    // Copies of every file are analysed; the evaluation trains on those of its training songs only.
    // A model on log-mel patches (the CNN) asks the analysis for them (of the original and its copies).
    const patches = getModelKind(settings.kind).input === 'logmel';
    const audioAugmentation = settings.augmentation ? defaultAudioAugmentation(settings.seed, AUDIO_AUGMENTATION_COPIES) : null;
    try {
      const analysed = await analyseBatch(fileItems, {
        featureSet: 'gtzan',
        // Whole-clip features only for whole-file training: segment and patch models train per segment.
        clip: settings.segmentSeconds === null,
        segmentSeconds: settings.segmentSeconds,
        logMelPatchSeconds: patches ? settings.segmentSeconds : null,
        augment: audioAugmentation,
        signal: abort.signal,
        onUpdate: (item) => setItems((all) => all.map((i) => (i.id === item.id ? item : i))),
      });
      if (abort.signal.aborted) throw new AbortError();
      const extractedDataset = folderDataset(files, analysed, settings.segmentSeconds);
      if (extractedDataset.rows.length === 0) throw new Error('no file could be analysed, so there is nothing to train on');
      const { groupOf, artists } = songSplitGroups(files, analysed, settings.grouping, settings.artistPattern);
      const { rows, features, featureNames } = patches
        ? logMelTrainingRows(files, analysed, groupOf)
        : trainingRows(extractedDataset, augmentedCopyRows(files, analysed, settings.segmentSeconds), groupOf);
      // The folder's features are kept as a dataset (Explore, CSV export) whatever becomes of the training.
      setDataset(extractedDataset);
      saveDataset({
        name: folderName || 'Training folder',
        source: 'folder',
        files: files.map((f) => ({ name: f.picked.path, label: f.label, size: f.picked.file.size })),
        dataset: extractedDataset,
      }).then(
        () => {
          setDatasetNote('Features saved as a dataset (see Explore).');
          refreshDatasets();
        },
        (error: unknown) => setDatasetNote(`The features could not be saved as a dataset: ${error instanceof Error ? error.message : String(error)}`),
      );

      setPhase({ name: 'training' });
      const folds = settings.protocol === 'kfold' ? settings.folds : 1;
      const request: TrainingRequest = {
        kind: settings.kind,
        seed: settings.seed,
        featureNames,
        rows,
        features,
        evaluation: {
          scheme: settings.protocol === 'kfold' ? { kind: 'kfold', k: settings.folds } : { kind: 'holdout', testFraction: settings.holdoutFraction },
          grouping: artists ? 'artist' : 'song',
          ...(artists ? { artists } : {}),
        },
        ...(audioAugmentation ? { audioAugmentation } : {}),
        fit: { epochs: settings.epochs, mixupAlpha: settings.mixup ? AUGMENTATION_MIXUP_ALPHA : 0 },
        name: settings.name.trim() || `${folderName} model`,
        featureSetVersion: FEATURE_SET_VERSION,
        segmentSeconds: settings.segmentSeconds,
        wasmPath: TFJS_WASM_PATH,
      };
      const onProgress = (p: TrainingProgress) => setStatus((old) => nextTrainingStatus(old, p, folds));
      const result = await runTraining(request, onProgress, abort.signal);
      const modelId = await saveModel(result.bundle);
      refreshModels();
      setStatus((old) => old && finishedTrainingStatus(old));
      setPhase({ name: 'done', modelId, modelName: result.bundle.metadata.name, evaluation: result.evaluation, backend: result.backend.backend, backendReason: result.backend.reason });
    } catch (error) {
      if (error instanceof AbortError || abort.signal.aborted) setPhase({ name: 'cancelled' });
      else setPhase({ name: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      controller.current = null;
    }
  }

  const extracted = items.filter((i) => FINISHED.has(i.state)).length;
  const bar = status && trainingBar(status);
  const trainedShare = bar ? bar.done / Math.max(1, bar.total) : 0;
  useEffect(() => {
    upsertJob({
      id: 'train',
      title: phase.name === 'training' ? 'Training' : 'Extracting training features',
      progress: phase.name === 'training' ? trainedShare : items.length ? extracted / items.length : null,
      state: busy ? 'running' : 'done',
    });
  }, [upsertJob, phase.name, busy, trainedShare, extracted, items.length]);
  const failedItems = items.filter((i) => i.state === 'error');

  return (
    <div>
      <h2>Train</h2>
      <div className="drop-zone card">
        <p>
          Choose or drop a folder whose sub-folders are the labels: <code>Rock/Grunge/song.mp3</code> is genre Rock, subgenre Grunge;{' '}
          <code>music/</code> and <code>speech/</code> make a two-class model. Audio stays on your computer.
        </p>
        <FilePickers onFiles={onFolder} allowFiles={false} folderLabel="Choose a training folder" disabled={busy} />
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop a folder to train on
        </div>
      )}
      {picked.length > 0 && (
        <>
          <LabelTreeView tree={tree} unlabelled={unlabelled} />
          <SettingsForm settings={settings} onChange={setSettings} disabled={busy} />
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={start}
              disabled={busy || tree.genres.length < 2 || (settings.grouping === 'pattern' && !validPattern(settings.artistPattern))}
            >
              Start training
            </button>
            {tree.genres.length < 2 && <span className="muted">At least two label folders are needed.</span>}
          </div>
        </>
      )}
      {items.length > 0 && (
        <section className="card" aria-label="Progress">
          <ProgressBar
            label="Features extracted"
            done={extracted}
            total={items.length}
            detail={failedItems.length > 0 ? `${failedItems.length} failed` : undefined}
            running={phase.name === 'extracting'}
            onCancel={() => controller.current?.abort()}
          />
          {failedItems.length > 0 && (
            <details>
              <summary>Files left out ({failedItems.length})</summary>
              <ul>
                {failedItems.map((i) => (
                  <li key={i.id} className="error-text">
                    {i.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {status && bar && (
            <>
              <ProgressBar
                label={bar.label}
                done={bar.done}
                total={bar.total}
                running={phase.name === 'training'}
                onCancel={() => controller.current?.abort()}
              />
              {status.history.length > 0 && <TrainingCurves history={status.history} />}
            </>
          )}
          {phase.name === 'training' && !status && <p className="muted">Starting the training worker…</p>}
          {dataset && (
            <div className="row">
              <button
                type="button"
                onClick={() => downloadBytes(new TextEncoder().encode(formatFeaturesCsv(dataset)), `${folderName || 'features'}-features.csv`, 'text/csv')}
              >
                Export features as CSV
              </button>
              {datasetNote && <span className="muted">{datasetNote}</span>}
            </div>
          )}
        </section>
      )}
      <div aria-live="polite">
        {phase.name === 'cancelled' && <p className="muted">Training cancelled. Nothing was saved; your models are unchanged.</p>}
        {phase.name === 'failed' && <p className="error-text">Training failed: {phase.message}. Your models are unchanged.</p>}
        {phase.name === 'done' && (
          <section className="card" aria-label="Saved model">
            <p className="ok-text">
              Model “{phase.modelName}” saved (trained with the {phase.backend} backend).
            </p>
            <p className="muted">
              Why {phase.backend}: {phase.backendReason}.
            </p>
            <button
              type="button"
              className="primary"
              disabled={activeModelId === phase.modelId}
              onClick={() => void setActiveModelId(phase.modelId)}
            >
              {activeModelId === phase.modelId ? 'Classify uses this model' : 'Use this model in Classify'}
            </button>
          </section>
        )}
      </div>
      {phase.name === 'done' && phase.evaluation && <TrainResults evaluation={phase.evaluation} />}
    </div>
  );
}
