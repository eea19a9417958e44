/**
 * What the Train view shows while the training worker runs: the part under way (an evaluation fold, then the final
 * model), its epochs or steps, and the current part's curves; folded from the worker's progress messages.
 */
import type { TrainingProgress } from '../../../workers/training.ts';
import type { EpochPoint } from '../charts/TrainingCurves.tsx';

export interface TrainingStatus {
  /** 'Evaluation: fold 2 of 5' or 'Final model on all songs', with the member or subgenre model when there is one. */
  part: string;
  /** Parts (folds, then the final model) finished, of `parts`. */
  partsDone: number;
  parts: number;
  /** For kinds that train in epochs (none for k-NN and the SVM): epochs per part and those done in this part. */
  epochs: { done: number; perPart: number } | null;
  /** The latest step inside this part of a kind (or ensemble member) that trains without epochs. */
  step: { what: string; done: number; total: number } | null;
  /** The curves' model (part and inner model) and its points so far. */
  curve: string;
  history: EpochPoint[];
}

/** The status after one progress message of a run with `folds` evaluation parts (1 for a hold-out) and a final one. */
export function nextTrainingStatus(old: TrainingStatus | null, p: TrainingProgress, folds: number): TrainingStatus {
  const parts = folds + 1;
  const partsDone = p.stage === 'evaluating' ? p.fold - 1 : folds;
  const part = p.stage === 'evaluating' ? (folds > 1 ? `Evaluation: fold ${p.fold} of ${folds}` : 'Evaluation: hold-out') : 'Final model on all songs';
  const within = (inner: string | undefined) => (inner && inner !== 'genre' ? `${part} (${inner})` : part);
  const kept = { epochs: old?.epochs ?? null, curve: old?.curve ?? '', history: old?.history ?? [] };
  const { epoch, step } = p;
  if (step) {
    return { ...kept, part: within(step.part), partsDone, parts, step: { what: step.what, done: step.done, total: step.total } };
  }
  if (!epoch) {
    // A part starts.
    return { ...kept, part, partsDone, parts, epochs: kept.epochs && { ...kept.epochs, done: 0 }, step: null };
  }
  const point: EpochPoint = {
    epoch: epoch.epoch,
    loss: epoch.loss,
    acc: epoch.accuracy,
    ...(epoch.valLoss !== null ? { valLoss: epoch.valLoss } : {}),
    ...(epoch.valAccuracy !== null ? { valAcc: epoch.valAccuracy } : {}),
  };
  const curve = `${part}|${epoch.part ?? ''}`;
  // A new part or inner model, or one that trains again from epoch 1 (a refit after choosing the epoch count),
  // starts new curves.
  const fresh = curve !== kept.curve || point.epoch <= (kept.history.at(-1)?.epoch ?? 0);
  return {
    part: within(epoch.part),
    partsDone,
    parts,
    epochs: { done: epoch.epoch, perPart: epoch.epochs },
    step: null,
    curve,
    history: fresh ? [point] : [...kept.history, point],
  };
}

/** The whole run is done: every part counts as finished (early stopping ends parts before their last epoch). */
export function finishedTrainingStatus(status: TrainingStatus): TrainingStatus {
  return { ...status, partsDone: status.parts, epochs: status.epochs && { ...status.epochs, done: 0 }, step: null };
}

/** The progress bar: epochs for kinds that train in epochs; otherwise parts, moved within a part by its steps. */
export function trainingBar(status: TrainingStatus): { label: string; done: number; total: number } {
  const { step } = status;
  const now = step ? `${status.part}: ${step.what}, ${step.done} of ${step.total}` : status.part;
  if (status.epochs) {
    const { done, perPart } = status.epochs;
    return { label: `Training epochs (${now})`, done: status.partsDone * perPart + done, total: status.parts * perPart };
  }
  return { label: `Models trained (now: ${now})`, done: status.partsDone + (step ? step.done / step.total : 0), total: status.parts };
}
