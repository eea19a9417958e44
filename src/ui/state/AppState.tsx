import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

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
  setActiveModelId(id: string | null): void;
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

const ACTIVE_MODEL_KEY = 'muzo.activeModelId';

const AppStateContext = createContext<AppState | null>(null);

function readActiveModelId(): string | null {
  try {
    return localStorage.getItem(ACTIVE_MODEL_KEY);
  } catch {
    return null;
  }
}

export function AppStateProvider({ children }: { children: ReactNode }) {
  const [activeModelId, setActiveModelIdState] = useState<string | null>(readActiveModelId);
  const [modelsVersion, setModelsVersion] = useState(0);
  const [datasetsVersion, setDatasetsVersion] = useState(0);
  const [jobs, setJobs] = useState<PipelineJob[]>([]);

  const setActiveModelId = useCallback((id: string | null) => {
    setActiveModelIdState(id);
    try {
      if (id === null) localStorage.removeItem(ACTIVE_MODEL_KEY);
      else localStorage.setItem(ACTIVE_MODEL_KEY, id);
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this page only.
    }
  }, []);
  const refreshModels = useCallback(() => setModelsVersion((v) => v + 1), []);
  const refreshDatasets = useCallback(() => setDatasetsVersion((v) => v + 1), []);
  const upsertJob = useCallback(
    (job: PipelineJob) => setJobs((all) => [...all.filter((j) => j.id !== job.id), job]),
    [],
  );
  const removeJob = useCallback((id: string) => setJobs((all) => all.filter((j) => j.id !== id)), []);

  const value = useMemo<AppState>(
    () => ({
      activeModelId,
      setActiveModelId,
      modelsVersion,
      refreshModels,
      datasetsVersion,
      refreshDatasets,
      jobs,
      upsertJob,
      removeJob,
    }),
    [activeModelId, setActiveModelId, modelsVersion, refreshModels, datasetsVersion, refreshDatasets, jobs, upsertJob, removeJob],
  );
  return <AppStateContext.Provider value={value}>{children}</AppStateContext.Provider>;
}

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState must be used inside <AppStateProvider>');
  return state;
}
