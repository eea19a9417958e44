import { describe, expect, it } from 'vitest';
import { protocolText, readEvaluation, readEvaluations, readTrainingHistory, scoresFromConfusion } from './evaluationView.ts';

describe('scoresFromConfusion', () => {
  it('computes precision, recall and F1 per class by hand-checked values', () => {
    // true a: 3 right, 1 as b; true b: 2 as a, 4 right.
    const [a, b] = scoresFromConfusion(['a', 'b'], [[3, 1], [2, 4]]);
    expect(a).toEqual({ label: 'a', precision: 3 / 5, recall: 3 / 4, f1: (2 * 0.6 * 0.75) / 1.35, support: 4 });
    expect(b.precision).toBeCloseTo(4 / 5, 12);
    expect(b.recall).toBeCloseTo(4 / 6, 12);
  });
});

describe('protocolText', () => {
  it('describes a protocol object with its seed', () => {
    expect(protocolText({ kind: 'kfold', k: 10, stratified: true, grouping: 'song', level: 'song', seed: 1 })).toBe(
      'stratified 10-fold, grouped by song, song-level, seed 1',
    );
  });
  it('says when no protocol was recorded', () => {
    expect(protocolText(undefined)).toBe('protocol not recorded');
  });
});

describe('readEvaluation', () => {
  it('derives accuracy and per-class scores when only the matrix is stored', () => {
    const view = readEvaluation({ confusion: [[3, 1], [2, 4]], protocol: 'hold-out' }, ['a', 'b']);
    expect(view?.accuracy).toBe(0.7);
    expect(view?.perClass.map((s) => s.label)).toEqual(['a', 'b']);
    expect(view?.protocol).toBe('hold-out');
  });
  it('rejects a matrix whose size does not match the labels', () => {
    expect(readEvaluation({ confusion: [[1, 0], [0, 1]] }, ['a', 'b', 'c'])).toBeNull();
  });
  it('reads perClass given as a record keyed by label', () => {
    const view = readEvaluation(
      { labels: ['x', 'y'], confusion: [[1, 0], [0, 1]], perClass: { x: { precision: 1, recall: 1, f1: 1 }, y: { precision: 1, recall: 1, f1: 1 } } },
    );
    expect(view?.perClass).toEqual([
      { label: 'x', precision: 1, recall: 1, f1: 1 },
      { label: 'y', precision: 1, recall: 1, f1: 1 },
    ]);
  });
});

describe('readEvaluations', () => {
  it("reads the CLI's summary with its fold statistics and subgenre level", () => {
    const found = readEvaluations(
      {
        accuracy: 0.8,
        macroF1: 0.79,
        labels: ['a', 'b'],
        confusion: [[4, 1], [1, 4]],
        perClass: [],
        protocol: { kind: 'kfold', k: 5, stratified: true, grouping: 'song', level: 'song', seed: 1, description: 'stratified 5-fold, grouped by song, song-level' },
        folds: { k: 5, mean: 0.8, std: 0.1, accuracy: [0.7, 0.8, 0.9, 0.8, 0.8] },
        subgenre: { accuracy: 0.6, macroF1: 0.5, labels: ['a/x', 'b/y'], confusion: [[3, 2], [2, 3]], perClass: [] },
      },
      ['a', 'b'],
    );
    expect(found.map((f) => f.name)).toEqual(['genre level', 'genre/subgenre level']);
    expect(found[0].view.accuracy).toBe(0.8);
    expect(found[0].view.folds).toEqual({ count: 5, meanAccuracy: 0.8, stdAccuracy: 0.1 });
    expect(found[0].view.protocol).toBe('stratified 5-fold, grouped by song, song-level, seed 1');
    expect(found[1].view.labels).toEqual(['a/x', 'b/y']);
    expect(found[1].view.protocol).toBe(found[0].view.protocol);
  });

  it('reads both levels of an EvaluationResult with the protocol and fold summary', () => {
    const pooled = { accuracy: 0.75, macroF1: 0.7, confusion: [[2, 0], [1, 1]], perClass: [] };
    const found = readEvaluations(
      {
        protocol: { kind: 'kfold', k: 2, stratified: true, grouping: 'song', level: 'song', seed: 3 },
        description: 'stratified 2-fold, grouped by song, song-level',
        top: { labels: ['a', 'b'], pooled, summary: { folds: 2, accuracy: { mean: 0.75, std: 0.25, perFold: [0.5, 1] }, confusion: [[2, 0], [1, 1]] } },
        paths: { labels: ['a/x', 'b/y'], pooled, summary: { folds: 2, accuracy: { mean: 0.75, std: 0.25 }, confusion: [[2, 0], [1, 1]] } },
        trainAccuracy: 1,
      },
      ['ignored'],
    );
    expect(found.map((f) => f.name)).toEqual(['genre level', 'genre/subgenre level']);
    expect(found[0].view.labels).toEqual(['a', 'b']);
    expect(found[1].view.labels).toEqual(['a/x', 'b/y']);
    expect(found[0].view.protocol).toBe('stratified 2-fold, grouped by song, song-level, seed 3');
    expect(found[0].view.folds).toEqual({ count: 2, meanAccuracy: 0.75, stdAccuracy: 0.25 });
    // An empty perClass list falls back to scores from the matrix.
    expect(found[0].view.perClass).toHaveLength(2);
  });

  it('finds named evaluations nested one level down', () => {
    const found = readEvaluations({ holdout: { confusion: [[2, 0], [1, 1]] }, note: 'x' }, ['a', 'b']);
    expect(found.map((f) => f.name)).toEqual(['holdout']);
    expect(found[0].view.accuracy).toBe(0.75);
  });
});

describe('readTrainingHistory', () => {
  it('maps EpochProgress entries and the kept epoch', () => {
    const view = readTrainingHistory({
      epochs: [
        { epoch: 1, epochs: 9, loss: 2, accuracy: 0.2, valLoss: 1.5, valAccuracy: 0.3, learningRate: 1e-3 },
        { epoch: 2, epochs: 9, loss: 1, accuracy: 0.6, valLoss: null, valAccuracy: null, learningRate: 1e-3 },
      ],
      details: { top: { bestEpoch: 1, stoppedEarly: true } },
    });
    expect(view).toEqual({
      epochs: [
        { epoch: 1, loss: 2, acc: 0.2, valLoss: 1.5, valAcc: 0.3 },
        { epoch: 2, loss: 1, acc: 0.6 },
      ],
      bestEpoch: 1,
      refitEpochs: null,
    });
  });
  it('shows the validated run when a refit on all rows follows it', () => {
    const view = readTrainingHistory({
      epochs: [
        { epoch: 1, loss: 2, accuracy: 0.2, valLoss: 1.5, valAccuracy: 0.3 },
        { epoch: 2, loss: 1, accuracy: 0.6, valLoss: 1.2, valAccuracy: 0.4 },
        { epoch: 1, loss: 2.1, accuracy: 0.25, valLoss: null, valAccuracy: null },
      ],
      details: { top: { bestEpoch: 2, refitOnAll: true, refitEpochs: 2 } },
    });
    expect(view?.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(view?.epochs[1].valLoss).toBe(1.2);
    expect(view?.refitEpochs).toBe(2);
  });
  it("keeps only the first part of an ensemble's curves", () => {
    const view = readTrainingHistory([
      { epoch: 1, loss: 1, acc: 0.5, part: 'mlp' },
      { epoch: 1, loss: 3, acc: 0.1, part: 'logreg' },
    ]);
    expect(view?.epochs).toEqual([{ epoch: 1, loss: 1, acc: 0.5 }]);
    expect(view?.bestEpoch).toBeNull();
  });
  it('is null without usable epochs', () => {
    expect(readTrainingHistory({ loss: [1, 2] })).toBeNull();
    expect(readTrainingHistory(undefined)).toBeNull();
  });
});
