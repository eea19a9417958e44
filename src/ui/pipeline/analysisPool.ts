import { WorkerPool, domPoolWorker } from '../../../workers/pool.ts';
import type { AnalysisWorkerApi } from '../../../workers/analysis.worker.ts';

let pool: WorkerPool<AnalysisWorkerApi> | null = null;

/** The page's one pool of analysis workers, created on first use. */
export function analysisPool(): WorkerPool<AnalysisWorkerApi> {
  pool ??= new WorkerPool<AnalysisWorkerApi>(() =>
    domPoolWorker(new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'muzo-analysis' })),
  );
  return pool;
}
