/**
 * Runs one training job in a fresh training worker (workers/training.worker.ts). Cancelling terminates the worker:
 * nothing is saved, so the previous model stays as it was.
 */
import { proxy, transfer, wrap } from 'comlink';
import type { TrainingApi } from '../../../workers/training.worker.ts';
import type { TrainingProgress, TrainingRequest, TrainingResult } from '../../../workers/training.ts';
import { AbortError } from '../../../workers/pool.ts';

export function runTraining(
  request: TrainingRequest,
  onProgress: (progress: TrainingProgress) => void,
  signal: AbortSignal,
): Promise<TrainingResult> {
  if (signal.aborted) return Promise.reject(new AbortError());
  const worker = new Worker(new URL('../../../workers/training.worker.ts', import.meta.url), { type: 'module', name: 'muzo-training' });
  const api = wrap<TrainingApi>(worker);
  return new Promise<TrainingResult>((resolve, reject) => {
    const stop = () => {
      worker.terminate();
      reject(new AbortError('training cancelled'));
    };
    signal.addEventListener('abort', stop, { once: true });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`the training worker stopped: ${event.message || 'unknown error'}`));
    });
    api
      .train(transfer(request, [request.features.buffer as ArrayBuffer]), proxy(onProgress))
      .then(resolve, reject)
      .finally(() => {
        signal.removeEventListener('abort', stop);
        worker.terminate();
      });
  });
}
