import { describe, expect, it } from 'vitest';
import type { EpochProgress } from '../../core/models/train.ts';
import type { TrainingProgress } from '../../../workers/training.ts';
import { finishedTrainingStatus, nextTrainingStatus, trainingBar, type TrainingStatus } from './trainingStatus.ts';

/** The status after `messages`, from none. */
function statusAfter(messages: TrainingProgress[], folds: number): TrainingStatus {
  const status = messages.reduce<TrainingStatus | null>((old, p) => nextTrainingStatus(old, p, folds), null);
  if (!status) throw new Error('no progress');
  return status;
}

const epoch = (n: number, part?: string): EpochProgress & { part?: string } => ({
  epoch: n,
  epochs: 100,
  loss: 1 / n,
  accuracy: 0.5,
  valLoss: null,
  valAccuracy: null,
  learningRate: 1e-3,
  elapsedSeconds: n,
  etaSeconds: 100 - n,
  ...(part ? { part } : {}),
});

describe('the training status', () => {
  it('moves the parts bar of a kind without epochs by its steps within a part', () => {
    const status = statusAfter(
      [
        { stage: 'evaluating', fold: 1, folds: 4 },
        { stage: 'evaluating', fold: 2, folds: 4 },
        { stage: 'evaluating', fold: 2, folds: 4, step: { done: 12, total: 31, what: 'choosing C and gamma', part: 'genre' } },
      ],
      4,
    );
    expect(trainingBar(status)).toEqual({
      label: 'Models trained (now: Evaluation: fold 2 of 4: choosing C and gamma, 12 of 31)',
      done: 1 + 12 / 31,
      total: 5,
    });
    // The next part starts from its beginning.
    const next = nextTrainingStatus(status, { stage: 'evaluating', fold: 3, folds: 4 }, 4);
    expect(trainingBar(next)).toEqual({ label: 'Models trained (now: Evaluation: fold 3 of 4)', done: 2, total: 5 });
    expect(trainingBar(finishedTrainingStatus(nextTrainingStatus(next, { stage: 'training' }, 4)))).toEqual({
      label: 'Models trained (now: Final model on all songs)',
      done: 5,
      total: 5,
    });
  });

  it('counts epochs, names the ensemble member under way, and starts new curves for each model', () => {
    const member = (i: number, kind: string) => `member ${i}/3 (${kind})`;
    let status = statusAfter(
      [
        { stage: 'evaluating', fold: 1, folds: 1 },
        { stage: 'evaluating', fold: 1, folds: 1, epoch: epoch(1, member(1, 'mlp')) },
        { stage: 'evaluating', fold: 1, folds: 1, epoch: epoch(2, member(1, 'mlp')) },
      ],
      1,
    );
    expect(status.history.map((p) => p.epoch)).toEqual([1, 2]);
    expect(trainingBar(status)).toEqual({ label: 'Training epochs (Evaluation: hold-out (member 1/3 (mlp)))', done: 2, total: 200 });
    status = nextTrainingStatus(status, { stage: 'evaluating', fold: 1, folds: 1, step: { done: 3, total: 31, what: 'choosing C and gamma', part: member(2, 'svm') } }, 1);
    expect(trainingBar(status).label).toBe('Training epochs (Evaluation: hold-out (member 2/3 (svm)): choosing C and gamma, 3 of 31)');
    expect(status.history.map((p) => p.epoch)).toEqual([1, 2]);
    status = nextTrainingStatus(status, { stage: 'training' }, 1);
    status = nextTrainingStatus(status, { stage: 'training', epoch: epoch(1, member(1, 'mlp')) }, 1);
    expect(status.history.map((p) => p.epoch)).toEqual([1]);
    expect(trainingBar(status)).toEqual({ label: 'Training epochs (Final model on all songs (member 1/3 (mlp)))', done: 101, total: 200 });
  });
});
