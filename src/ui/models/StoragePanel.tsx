import { useCallback, useEffect, useState } from 'react';
import { FEATURE_SET_VERSION } from '../../core/features/gtzan.ts';
import { deleteDataset, listDatasets, type DatasetSummary } from '../../store/datasets.ts';
import { requestPersistentStorage, storageUsage, type StorageUsage } from '../../store/db.ts';
import { clearFeatureCache, inspectFeatureCache, type FeatureCacheStats } from '../../store/featureCache.ts';
import { formatMegabytes } from '../../store/sizes.ts';
import { useAppState } from '../state/AppState.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';

interface StorageFacts {
  usage: StorageUsage | null;
  /** null where the browser has no persistence API. */
  persisted: boolean | null;
  cache: FeatureCacheStats;
  datasets: DatasetSummary[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function persistedNow(): Promise<boolean | null> {
  const storage = globalThis.navigator?.storage;
  return storage?.persisted ? storage.persisted() : null;
}

/** What muzo keeps in this browser: space used, persistence, the feature cache and saved datasets, with clean-up. */
export function StoragePanel() {
  const { datasetsVersion, refreshDatasets, modelsVersion } = useAppState();
  const [facts, setFacts] = useState<StorageFacts | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([storageUsage(), persistedNow(), inspectFeatureCache(), listDatasets()]).then(
      ([usage, persisted, cache, datasets]) => live && setFacts({ usage, persisted, cache, datasets }),
      (error: unknown) => live && setMessage({ kind: 'error', text: `The browser's storage could not be read: ${messageOf(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [reload, datasetsVersion, modelsVersion]);

  const act = useCallback(async (work: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await work() });
    } catch (error) {
      setMessage({ kind: 'error', text: messageOf(error) });
    }
    setReload((n) => n + 1);
  }, []);

  const otherVersions = facts ? Object.keys(facts.cache.byVersion).filter((v) => v !== FEATURE_SET_VERSION) : [];
  return (
    <section aria-labelledby="storage-heading" className="card storage-panel">
      <h3 id="storage-heading">Storage in this browser</h3>
      {!facts && !message && <p role="status">Reading storage…</p>}
      {facts && (
        <dl className="model-card">
          <dt>Space used</dt>
          <dd>{facts.usage ? `${formatMegabytes(facts.usage.usage)} of ${formatMegabytes(facts.usage.quota)} allowed` : 'not reported by this browser'}</dd>
          <dt>Persistent</dt>
          <dd>
            {facts.persisted === null && 'this browser cannot promise to keep the data'}
            {facts.persisted === true && 'yes: the browser will not evict muzo’s models and datasets under storage pressure'}
            {facts.persisted === false && (
              <>
                no: the browser may evict the data when space runs low.{' '}
                <button
                  type="button"
                  onClick={() =>
                    act(async () => ((await requestPersistentStorage()) ? 'The browser will keep muzo’s data.' : 'The browser declined to make the storage persistent.'))
                  }
                >
                  Ask to keep the data
                </button>
              </>
            )}
          </dd>
          <dt>Feature cache</dt>
          <dd>
            {facts.cache.count} {facts.cache.count === 1 ? 'file' : 'files'}, about {formatMegabytes(facts.cache.approxBytes)}
            {otherVersions.length > 0 && ` (${otherVersions.reduce((a, v) => a + facts.cache.byVersion[v], 0)} from older feature sets, never used again)`}
            <div className="row">
              <button
                type="button"
                disabled={facts.cache.count === 0}
                onClick={() => act(async () => `Cleared ${await clearFeatureCache()} cached feature entries.`)}
              >
                Clear the feature cache
              </button>
              {otherVersions.length > 0 && (
                <button
                  type="button"
                  onClick={() => act(async () => `Removed ${await clearFeatureCache({ keepVersion: FEATURE_SET_VERSION })} entries of older feature sets.`)}
                >
                  Remove older feature sets
                </button>
              )}
            </div>
          </dd>
          <dt>Saved datasets</dt>
          <dd>
            {facts.datasets.length === 0 ? (
              'none'
            ) : (
              <ul className="storage-datasets">
                {facts.datasets.map((d) => (
                  <li key={d.id}>
                    {d.name} ({d.rowCount} rows, {d.labels.length} classes){' '}
                    <ConfirmButton
                      label="Delete"
                      accessibleName={`Delete dataset ${d.name}`}
                      question={`Delete the dataset “${d.name}” and its features from this browser? This cannot be undone.`}
                      confirmLabel="Delete dataset"
                      onConfirm={() =>
                        void act(async () => {
                          await deleteDataset(d.id);
                          refreshDatasets();
                          return `Deleted the dataset “${d.name}”.`;
                        })
                      }
                    />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      )}
      <div aria-live="polite">
        {message && (
          <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error-text' : 'ok-text'}>
            {message.text}
          </p>
        )}
      </div>
    </section>
  );
}
