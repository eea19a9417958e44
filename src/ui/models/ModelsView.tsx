import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ModelMetadata } from '../../core/models/bundle.ts';
import { bundleToZip } from '../../core/models/bundleZip.ts';
import { FEATURE_SET_VERSION } from '../../core/features/gtzan.ts';
import { deleteModel, listModels, renameModel, type ModelSummary } from '../../store/models.ts';
import { exportFileName, exportModelZip, importModelZip } from '../../store/transfer.ts';
import { useAppState } from '../state/AppState.tsx';
import { BUILTIN_MODEL_NAME, builtinManifest, builtinUrl, fetchBuiltinBundle, fetchBuiltinMetadata } from './builtin.ts';
import { downloadBytes } from './download.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ModelCard } from './ModelCard.tsx';
import { StoragePanel } from './StoragePanel.tsx';
import './models.css';

type Builtin = { status: 'loading' } | { status: 'absent' } | { status: 'ready'; metadata: ModelMetadata; cardUrl: string | null };
type Notice = { kind: 'ok' | 'error'; text: string } | null;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Saved models: the built-in default (read-only) and the user's own; card, rename, delete, export, import, set active. */
export function ModelsView() {
  const { activeModelId, setActiveModelId, modelsVersion, refreshModels, storeError } = useAppState();
  const [builtin, setBuiltin] = useState<Builtin>({ status: 'loading' });
  const [saved, setSaved] = useState<ModelSummary[] | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const importInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    Promise.all([builtinManifest(), fetchBuiltinMetadata()])
      .then(([manifest, metadata]) => {
        if (!live) return;
        setBuiltin(metadata ? { status: 'ready', metadata, cardUrl: manifest?.card ? builtinUrl(manifest.card) : null } : { status: 'absent' });
      })
      .catch(() => live && setBuiltin({ status: 'absent' }));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    listModels().then(
      (models) => live && setSaved(models),
      (error: unknown) => live && setNotice({ kind: 'error', text: `The saved models could not be read: ${messageOf(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [modelsVersion]);

  async function act(work: () => Promise<string | void>) {
    setBusy(true);
    setNotice(null);
    try {
      const text = await work();
      if (text) setNotice({ kind: 'ok', text });
    } catch (error) {
      setNotice({ kind: 'error', text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  }

  async function importZip(file: File) {
    await act(async () => {
      try {
        const id = await importModelZip(new Uint8Array(await file.arrayBuffer()), { featureSetVersion: FEATURE_SET_VERSION });
        refreshModels();
        const models = await listModels();
        return `Imported “${models.find((m) => m.id === id)?.metadata.name ?? file.name}” from ${file.name}.`;
      } catch (error) {
        throw new Error(`${file.name}: ${messageOf(error)}`);
      }
    });
    if (importInput.current) importInput.current.value = '';
  }

  const builtinActive = activeModelId === null;
  return (
    <section aria-labelledby="models-heading" className="models">
      <h2 id="models-heading">Models</h2>
      {storeError && <p className="error-text">{storeError}</p>}
      <div className="row models-import">
        <label className="button">
          Import a model (.zip)
          <input
            ref={importInput}
            className="visually-hidden"
            type="file"
            accept=".zip,application/zip"
            disabled={busy}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void importZip(file);
            }}
          />
        </label>
        <span className="muted">A muzo model export: model.json, weights and metadata.json in one .zip.</span>
      </div>
      <div aria-live="polite">
        {notice && (
          <p role={notice.kind === 'error' ? 'alert' : 'status'} className={notice.kind === 'error' ? 'error-text' : 'ok-text'}>
            {notice.text}
          </p>
        )}
      </div>

      <h3>Built-in</h3>
      {builtin.status === 'loading' && <p role="status">Loading the built-in model…</p>}
      {builtin.status === 'absent' && (
        <p>No built-in model is available in this build (it was built without the GTZAN features table). Train a model or import one.</p>
      )}
      {builtin.status === 'ready' && (
        <ModelEntry
          name={BUILTIN_MODEL_NAME}
          metadata={builtin.metadata}
          builtin
          active={builtinActive}
          busy={busy}
          dataDescription="GTZAN features table: 1000 clips of 30 s, 100 per genre, 57 features each (librosa defaults)."
          cardUrl={builtin.cardUrl}
          onSetActive={() => act(async () => {
            await setActiveModelId(null);
            return 'The built-in model is now the active model.';
          })}
          onExport={() => act(async () => {
            const bundle = await fetchBuiltinBundle();
            if (!bundle) throw new Error('the built-in model could not be loaded');
            downloadBytes(bundleToZip(bundle), exportFileName(bundle));
            return `Exported ${exportFileName(bundle)}.`;
          })}
        />
      )}

      <h3>Saved models</h3>
      {saved === null && !notice && <p role="status">Loading saved models…</p>}
      {saved?.length === 0 && <p>No saved models yet: train one in the Train view, or import a .zip.</p>}
      {saved?.map((model) => (
        <ModelEntry
          key={model.id}
          name={model.metadata.name}
          metadata={model.metadata}
          sizeBytes={model.totalBytes}
          active={activeModelId === model.id}
          busy={busy}
          onSetActive={() => act(async () => {
            await setActiveModelId(model.id);
            return `“${model.metadata.name}” is now the active model.`;
          })}
          onRename={(name) => act(async () => {
            await renameModel(model.id, name);
            refreshModels();
            return `Renamed to “${name.trim()}”.`;
          })}
          onDelete={() => act(async () => {
            await deleteModel(model.id);
            refreshModels();
            return `Deleted “${model.metadata.name}”.`;
          })}
          onExport={() => act(async () => {
            const { fileName, bytes } = await exportModelZip(model.id);
            downloadBytes(bytes, fileName);
            return `Exported ${fileName}.`;
          })}
        />
      ))}

      <StoragePanel />
    </section>
  );
}

function ModelEntry({
  name,
  metadata,
  builtin = false,
  active,
  busy,
  sizeBytes,
  dataDescription,
  cardUrl,
  onSetActive,
  onExport,
  onRename,
  onDelete,
}: {
  name: string;
  metadata: ModelMetadata;
  builtin?: boolean;
  active: boolean;
  busy: boolean;
  sizeBytes?: number;
  dataDescription?: string;
  cardUrl?: string | null;
  onSetActive(): void;
  onExport(): void;
  onRename?(name: string): void;
  onDelete?(): void;
}) {
  const headingId = useId();
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(name);

  function submitRename(e: FormEvent) {
    e.preventDefault();
    if (draft.trim() === '') return;
    setRenaming(false);
    onRename?.(draft);
  }

  return (
    <article className="card model-entry" aria-labelledby={headingId}>
      <header className="model-entry-header">
        <h4 id={headingId}>{name}</h4>
        {builtin && <span className="badge">built-in, read-only</span>}
        {active && <span className="badge badge-active">active</span>}
      </header>
      {renaming && onRename && (
        <form className="row" onSubmit={submitRename}>
          <label>
            New name <input type="text" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={200} required autoFocus />
          </label>
          <button type="submit" className="primary">
            Save name
          </button>
          <button type="button" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      )}
      <ModelCard metadata={metadata} builtin={builtin} sizeBytes={sizeBytes} dataDescription={dataDescription} />
      {cardUrl && (
        <p>
          <a href={cardUrl} target="_blank" rel="noopener">
            Full model card (Markdown)
          </a>
        </p>
      )}
      <div className="row" role="group" aria-label={`Actions for ${name}`}>
        <button type="button" onClick={onSetActive} disabled={busy || active} aria-label={`Set ${name} as the active model`}>
          {active ? 'Active' : 'Set active'}
        </button>
        <button type="button" onClick={onExport} disabled={busy} aria-label={`Export ${name} as .zip`}>
          Export .zip
        </button>
        {onRename && (
          <button
            type="button"
            onClick={() => {
              setDraft(name);
              setRenaming(true);
            }}
            disabled={busy}
            aria-label={`Rename ${name}`}
          >
            Rename
          </button>
        )}
        {onDelete && (
          <ConfirmButton
            label="Delete"
            accessibleName={`Delete ${name}`}
            disabled={busy}
            question={`Delete the model “${name}”? Its weights and metadata are removed from this browser; this cannot be undone (export it first to keep a copy).`}
            confirmLabel="Delete model"
            onConfirm={onDelete}
          />
        )}
      </div>
    </article>
  );
}
