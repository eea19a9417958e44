import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FilePickers } from '../files/FilePickers.tsx';
import { useFileDrop } from '../files/useFileDrop.ts';
import type { PickedFile } from '../files/collect.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { formatPercent } from '../common/format.ts';
import { analyseBatch, newFileItems, type FileItem } from '../pipeline/batch.ts';
import { useAppState } from '../state/AppState.tsx';
import { BASE_COLUMNS, FileTable, type Column } from './FileTable.tsx';
import { useActiveModel, type LoadedModel } from './activeModel.ts';
import { analysisNeeds, predictFile, TIMELINE_SECONDS, type AnalysisNeeds, type FilePrediction } from './predict.ts';
import { PredictionDetails } from './PredictionDetails.tsx';
import { playlistFileName, playlistsByGenre, predictionsCsv, type PredictedFile } from './exports.ts';

const FINISHED = new Set(['done', 'error', 'cancelled']);

type PredictionEntry = { modelKey: string; prediction: FilePrediction } | { modelKey: string; error: string };

function modelKeyOf(loaded: LoadedModel): string {
  return `${loaded.id ?? 'builtin'}@${loaded.metadata.updatedAt}`;
}

/** Before a model is loaded: the timeline and the clip's features (what the built-in clip-level model reads). */
const NO_MODEL_NEEDS: AnalysisNeeds = { clip: true, segmentSeconds: TIMELINE_SECONDS, logMelPatchSeconds: null };

/** Does this analysis carry what the model reads? (A segment model needs its own segment length.) */
function fitsModel(item: FileItem, loaded: LoadedModel): boolean {
  const a = item.analysis;
  if (!a) return false;
  const needs = analysisNeeds(loaded.metadata);
  if (needs.logMelPatchSeconds !== null && !a.logMel) return false;
  if (needs.clip && !a.clip) return false;
  return loaded.metadata.segmentSeconds === null || a.segmentSeconds === needs.segmentSeconds;
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ClassifyView({ active = true }: { active?: boolean }) {
  const { activeModelId, upsertJob } = useAppState();
  const modelState = useActiveModel(activeModelId);
  const loaded = modelState.status === 'ready' ? modelState.loaded : null;
  const [items, setItems] = useState<FileItem[]>([]);
  const [predictions, setPredictions] = useState<Map<string, PredictionEntry>>(new Map());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** Details opened by the user take the keyboard focus; opened by themselves, they leave it where it is. */
  const [focusDetails, setFocusDetails] = useState(false);
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const batchesRunning = useRef(0);
  const needsRef = useRef<AnalysisNeeds>(NO_MODEL_NEEDS);
  needsRef.current = loaded ? analysisNeeds(loaded.metadata) : NO_MODEL_NEEDS;

  const analyse = useCallback((batch: FileItem[]) => {
    const abort = (controller.current ??= new AbortController());
    batchesRunning.current++;
    setRunning(true);
    analyseBatch(batch, {
      featureSet: 'gtzan',
      ...needsRef.current,
      signal: abort.signal,
      onUpdate: (item) => setItems((all) => all.map((i) => (i.id === item.id ? item : i))),
    }).finally(() => {
      if (--batchesRunning.current === 0) {
        controller.current = null;
        setRunning(false);
      }
    });
  }, []);

  const onFiles = useCallback(
    (picked: PickedFile[]) => {
      const fresh = newFileItems(picked);
      setItems((all) => [...all, ...fresh]);
      analyse(fresh);
    },
    [analyse],
  );

  // Predict every analysed file with the current model; re-analyse files whose analysis does not fit it.
  useEffect(() => {
    if (!loaded) return;
    const key = modelKeyOf(loaded);
    const stale = items.filter((i) => i.state === 'done' && !fitsModel(i, loaded) && !running);
    if (stale.length > 0) {
      const requeued = stale.map((i) => ({ ...i, state: 'queued' as const, analysis: undefined }));
      setItems((all) => all.map((i) => requeued.find((r) => r.id === i.id) ?? i));
      analyse(requeued);
      return;
    }
    const todo = items.filter((i) => i.state === 'done' && i.analysis && fitsModel(i, loaded) && predictions.get(i.id)?.modelKey !== key);
    if (todo.length === 0) return;
    let live = true;
    (async () => {
      const results = new Map<string, PredictionEntry>();
      for (const item of todo) {
        try {
          results.set(item.id, { modelKey: key, prediction: await predictFile(loaded.model, loaded.metadata, item.analysis!) });
        } catch (error) {
          results.set(item.id, { modelKey: key, error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (live) setPredictions((old) => new Map([...old, ...results]));
    })();
    return () => {
      live = false;
    };
  }, [items, loaded, predictions, running, analyse]);

  const dragging = useFileDrop(onFiles, active);
  const done = items.filter((i) => FINISHED.has(i.state)).length;
  useEffect(() => {
    upsertJob({ id: 'classify', title: 'Analysing files', progress: items.length ? done / items.length : null, state: running ? 'running' : 'done' });
  }, [upsertJob, running, done, items.length]);
  const failed = items.filter((i) => i.state === 'error').length;
  const currentKey = loaded ? modelKeyOf(loaded) : null;
  const predictionOf = useCallback(
    (item: FileItem): PredictionEntry | undefined => {
      const entry = predictions.get(item.id);
      return entry && entry.modelKey === currentKey ? entry : undefined;
    },
    [predictions, currentKey],
  );

  const columns = useMemo<Column[]>(
    () => [
      ...BASE_COLUMNS,
      {
        key: 'genre',
        label: 'Genre',
        sortValue: (i) => {
          const p = predictionOf(i);
          return p && 'prediction' in p ? p.prediction.label : '';
        },
        render: (i) => {
          const p = predictionOf(i);
          if (!p) return '—';
          if ('error' in p) return <span className="error-text">{p.error}</span>;
          return p.prediction.subLabel ? `${p.prediction.label} / ${p.prediction.subLabel}` : p.prediction.label;
        },
      },
      {
        key: 'confidence',
        label: 'Confidence',
        sortValue: (i) => {
          const p = predictionOf(i);
          return p && 'prediction' in p ? p.prediction.confidence : -1;
        },
        render: (i) => {
          const p = predictionOf(i);
          return p && 'prediction' in p ? formatPercent(p.prediction.confidence) : '—';
        },
      },
    ],
    [predictionOf],
  );

  const predicted: PredictedFile[] = items.flatMap((i) => {
    const p = predictionOf(i);
    return p && 'prediction' in p
      ? [{ path: i.path, durationSeconds: i.durationSeconds, label: p.prediction.label, confidence: p.prediction.confidence, top3: p.prediction.top3 }]
      : [];
  });
  // The first song that gets a prediction opens its details by itself (once per list), so a newcomer who drops
  // one song sees everything about it at once.
  const autoOpened = useRef(false);
  const firstPredicted = items.find((i) => {
    const p = predictionOf(i);
    return p !== undefined && 'prediction' in p;
  });
  useEffect(() => {
    if (autoOpened.current || !firstPredicted) return;
    autoOpened.current = true;
    setSelectedId((id) => id ?? firstPredicted.id);
  }, [firstPredicted]);

  const selected = items.find((i) => i.id === selectedId);
  const selectedPrediction = selected ? predictionOf(selected) : undefined;

  return (
    <div>
      <h2>Classify</h2>
      <p className="model-line" aria-live="polite">
        {modelState.status === 'loading' && 'Loading the model…'}
        {modelState.status === 'ready' && (
          <>
            Model: <strong>{modelState.loaded.name}</strong> ({modelState.loaded.metadata.labels.length} genres)
          </>
        )}
        {(modelState.status === 'none' || modelState.status === 'error') && (
          <span className={modelState.status === 'error' ? 'error-text' : 'muted'}>{modelState.message}</span>
        )}
      </p>
      <div className="drop-zone card">
        <p>Drop songs or folders anywhere on this page, or choose them. Nothing leaves your computer.</p>
        <FilePickers onFiles={onFiles} folderLabel="Choose a folder of songs" />
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop to classify
        </div>
      )}
      {selected && selectedPrediction && 'prediction' in selectedPrediction && loaded && (
        <PredictionDetails
          path={selected.path}
          file={selected.file}
          prediction={selectedPrediction.prediction}
          labels={loaded.metadata.labels}
          segmentSeconds={selected.analysis?.segmentSeconds ?? TIMELINE_SECONDS}
          notes={selected.analysis?.notes ?? []}
          takeFocus={focusDetails}
          onClose={() => setSelectedId(null)}
        />
      )}
      {items.length > 0 && (
        <section className="card" aria-label="Files">
          <ProgressBar
            label="Files analysed"
            done={done}
            total={items.length}
            detail={failed > 0 ? `${failed} failed` : undefined}
            running={running}
            onCancel={() => {
              controller.current?.abort();
              controller.current = null;
            }}
          />
          <FileTable caption="Files and their predictions" items={items} columns={columns} selectedId={selectedId} onSelect={(id) => {
              setSelectedId(id);
              setFocusDetails(true);
            }} />
          <div className="row">
            <button type="button" disabled={predicted.length === 0} onClick={() => download('muzo-predictions.csv', predictionsCsv(predicted), 'text/csv')}>
              Export predictions as CSV
            </button>
            <button
              type="button"
              disabled={predicted.length === 0}
              onClick={() => {
                for (const [genre, text] of playlistsByGenre(predicted)) download(playlistFileName(genre), text, 'audio/x-mpegurl');
              }}
            >
              Export M3U playlists per genre
            </button>
            {!running && (
              <button
                type="button"
                onClick={() => {
                  setItems([]);
                  setSelectedId(null);
                  autoOpened.current = false;
                }}
              >
                Clear the list
              </button>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
