import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getActiveModel, setActiveModel } from '../../store/models.ts';

/** A long-running piece of work shown in the header (extraction, training, evaluation...). */
export interface PipelineJob {
  id: string;
  title: string;
  /** 0..1, or null while the amount of work is unknown. */
  progress: number | null;
  state: 'running' | 'done' | 'error' | 'cancelled';
  message?: string;
}

export interface AppState {
  /** Id of the model used by Classify (a store id), or null for the built-in default model. */
  activeModelId: string | null;
  /** Persists the choice in the store (IndexedDB); rejects when no saved model has that id. */
  setActiveModelId(id: string | null): Promise<void>;
  /** A message when reading or writing the store failed (e.g. IndexedDB unavailable), else null. */
  storeError: string | null;
  /** Bumped whenever the saved models change; views that list models re-read the store when it changes. */
  modelsVersion: number;
  refreshModels(): void;
  /** Bumped whenever the saved datasets change. */
  datasetsVersion: number;
  refreshDatasets(): void;
  jobs: PipelineJob[];
  /** Adds or replaces a job by id. */
  upsertJob(job: PipelineJob): void;
  removeJob(id: string): void;
}

const AppStateContext = createContext<AppState | null>(null);

export function AppStateProvider({ children }: { children: ReactNode }) {
  const [activeModelId, setActiveModelIdState] = useState<string | null>(null);
  const [storeError, setStoreError] = useState<string | null>(null);
  const [modelsVersion, setModelsVersion] = useState(0);
  const [datasetsVersion, setDatasetsVersion] = useState(0);
  const [jobs, setJobs] = useState<PipelineJob[]>([]);

  const setActiveModelId = useCallback(async (id: string | null) => {
    await setActiveModel(id);
    setActiveModelIdState(id);
  }, []);
  const refreshModels = useCallback(() => setModelsVersion((v) => v + 1), []);
  const refreshDatasets = useCallback(() => setDatasetsVersion((v) => v + 1), []);
  const upsertJob = useCallback(
    (job: PipelineJob) => setJobs((all) => [...all.filter((j) => j.id !== job.id), job]),
    [],
  );
  const removeJob = useCallback((id: string) => setJobs((all) => all.filter((j) => j.id !== id)), []);

  // The active model may have been deleted since it was chosen: the store answers null then.
  useEffect(() => {
    let live = true;
    getActiveModel().then(
      (id) => live && setActiveModelIdState(id),
      (error: unknown) => live && setStoreError(`the browser's storage is unavailable: ${String(error)}`),
    );
    return () => {
      live = false;
    };
  }, [modelsVersion]);

  const value = useMemo<AppState>(
    () => ({
      activeModelId,
      setActiveModelId,
      storeError,
      modelsVersion,
      refreshModels,
      datasetsVersion,
      refreshDatasets,
      jobs,
      upsertJob,
      removeJob,
    }),
    [activeModelId, setActiveModelId, storeError, modelsVersion, refreshModels, datasetsVersion, refreshDatasets, jobs, upsertJob, removeJob],
  );
  return <AppStateContext.Provider value={value}>{children}</AppStateContext.Provider>;
}

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState must be used inside <AppStateProvider>');
  return state;
}
