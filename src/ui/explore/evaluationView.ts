/**
 * What the Explore charts need from a model evaluation, read defensively from `metadata.evaluation` or a CLI/
 * worker result (which may come from an older or foreign model file).
 */
import { describeProtocol, type Protocol } from '../../core/data/splits.ts';
import type { ClassScores } from '../charts/PerClassBars.tsx';
import type { EpochPoint } from '../charts/TrainingCurves.tsx';

export interface EvaluationView {
  labels: string[];
  /** confusion[true][predicted] = count. */
  confusion: number[][];
  perClass: ClassScores[];
  accuracy: number | null;
  macroF1: number | null;
  /** Human-readable protocol, shown next to every metric. */
  protocol: string;
  /** For k-fold: accuracy's mean and standard deviation over the folds. */
  folds?: { count: number; meanAccuracy: number; stdAccuracy: number };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function protocolText(protocol: unknown): string {
  if (typeof protocol === 'string' && protocol.trim() !== '') return protocol;
  if (isRecord(protocol)) {
    if (typeof protocol.description === 'string') {
      return typeof protocol.seed === 'number' ? `${protocol.description}, seed ${protocol.seed}` : protocol.description;
    }
    if ((protocol.kind === 'kfold' && typeof protocol.k === 'number') || (protocol.kind === 'holdout' && typeof protocol.testFraction === 'number')) {
      const text = describeProtocol(protocol as unknown as Protocol);
      return typeof protocol.seed === 'number' ? `${text}, seed ${protocol.seed}` : text;
    }
  }
  return 'protocol not recorded';
}

function readPerClass(value: unknown, labels: string[]): ClassScores[] | null {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [isRecord(v) && typeof v.label === 'string' ? v.label : labels[i], v])
    : isRecord(value)
      ? Object.entries(value)
      : [];
  const scores: ClassScores[] = [];
  for (const [label, m] of entries) {
    if (typeof label !== 'string' || !isRecord(m)) return null;
    const precision = finite(m.precision);
    const recall = finite(m.recall);
    const f1 = finite(m.f1);
    if (precision === null || recall === null || f1 === null) return null;
    const support = finite(m.support);
    scores.push({ label, precision, recall, f1, ...(support !== null ? { support } : {}) });
  }
  return scores.length > 0 ? scores : null;
}

function readMatrix(value: unknown, size: number): number[][] | null {
  if (!Array.isArray(value) || value.length !== size) return null;
  const rows: number[][] = [];
  for (const row of value) {
    if (!Array.isArray(row) || row.length !== size || !row.every((v) => finite(v) !== null && v >= 0)) return null;
    rows.push(row as number[]);
  }
  return rows;
}

/** Per-class scores from a confusion matrix, for evaluations that store only the matrix. */
export function scoresFromConfusion(labels: string[], confusion: number[][]): ClassScores[] {
  return labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
}

/**
 * Reads one evaluation: `{ labels?, confusion, perClass?, accuracy?, macroF1?, protocol }`. `fallbackLabels` (the
 * model's labels) give the class order when the evaluation does not. Returns null when there is no usable
 * confusion matrix.
 */
export function readEvaluation(value: unknown, fallbackLabels: string[] = []): EvaluationView | null {
  if (!isRecord(value)) return null;
  const labels =
    Array.isArray(value.labels) && value.labels.every((l) => typeof l === 'string') ? (value.labels as string[]) : fallbackLabels;
  if (labels.length === 0) return null;
  const confusion = readMatrix(value.confusion, labels.length);
  if (!confusion) return null;
  const perClass = readPerClass(value.perClass, labels) ?? scoresFromConfusion(labels, confusion);
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  const correct = confusion.reduce((a, row, i) => a + row[i], 0);
  return {
    labels,
    confusion,
    perClass,
    accuracy: finite(value.accuracy) ?? (total > 0 ? correct / total : null),
    macroF1: finite(value.macroF1) ?? perClass.reduce((a, s) => a + s.f1, 0) / perClass.length,
    protocol: protocolText(value.protocol),
  };
}

/** Display names of the levels of an evaluation (src/core/models/evaluate.ts's EvaluationResult). */
const LEVEL_NAMES: Record<string, string> = { top: 'genre level', paths: 'genre/subgenre level', subgenre: 'genre/subgenre level' };
const MAX_DEPTH = 4;

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

/** Fold statistics from evaluate.ts's FoldSummary (`{ folds, accuracy: { mean, std } }`) or the CLI's `{ k, mean, std }`. */
function foldSummaryOf(value: unknown): EvaluationView['folds'] {
  if (!isRecord(value)) return undefined;
  const stats = isRecord(value.accuracy) ? value.accuracy : value;
  const mean = finite(stats.mean);
  const std = finite(stats.std);
  const count = finite(value.folds) ?? finite(value.k);
  return mean !== null && std !== null && count !== null && count > 1 ? { count, meanAccuracy: mean, stdAccuracy: std } : undefined;
}

/**
 * A model's evaluations, wherever they sit in `metadata.evaluation`: one evaluation (`{ confusion, perClass,
 * protocol… }`), an EvaluationResult of src/core/models/evaluate.ts (`{ protocol, top: { labels, pooled, summary },
 * paths? }`), or several keyed by name. Labels and protocol are inherited from enclosing objects. Returns each
 * usable one with a display name.
 */
export function readEvaluations(evaluation: unknown, modelLabels: string[]): Array<{ name: string; view: EvaluationView }> {
  const found: Array<{ name: string; view: EvaluationView }> = [];
  const walk = (value: unknown, labels: string[], protocol: unknown, name: string, depth: number) => {
    if (!isRecord(value) || depth > MAX_DEPTH) return;
    const ownLabels = stringArray(value.labels) ?? labels;
    const ownProtocol = value.protocol ?? value.description ?? protocol;
    if (isRecord(value.pooled)) {
      const view = readEvaluation({ ...value.pooled, labels: ownLabels, protocol: ownProtocol }, ownLabels);
      if (view) {
        const folds = foldSummaryOf(value.summary);
        found.push({ name, view: folds ? { ...view, folds } : view });
        return;
      }
    }
    const view = readEvaluation({ ...value, labels: ownLabels, protocol: ownProtocol }, ownLabels);
    if (view) {
      const folds = foldSummaryOf(value.folds);
      found.push({ name, view: folds ? { ...view, folds } : view });
    }
    // Go on inside: a two-level model's summary holds its subgenre-level evaluation.
    for (const [key, child] of Object.entries(value)) {
      const childName = LEVEL_NAMES[key] ?? key;
      walk(child, ownLabels, ownProtocol, name ? `${name}, ${childName}` : childName, depth + 1);
    }
  };
  walk(evaluation, modelLabels, undefined, '', 0);
  return found.map((f) => ({ ...f, name: f.name || (found.length > 1 ? 'genre level' : 'evaluation') }));
}

export interface TrainingHistoryView {
  epochs: EpochPoint[];
  /** The epoch whose weights were kept (early stopping), when recorded. */
  bestEpoch: number | null;
  /** Epochs of a final refit on all rows (no validation), run after the curves shown, when recorded. */
  refitEpochs: number | null;
}

/**
 * A model's training curves from `metadata.history`: `{ epochs: EpochProgress[], details? }` (the CLI and the app)
 * or a bare array. Entries of an ensemble carry a `part`: the first part's curve is shown. When the list holds
 * several runs (epochs restarting at 1: a validated run, then a refit on all rows), the run with validation
 * figures is shown. Null when there is none.
 */
export function readTrainingHistory(history: unknown): TrainingHistoryView | null {
  const list = Array.isArray(history) ? history : isRecord(history) && Array.isArray(history.epochs) ? history.epochs : null;
  if (!list) return null;
  const firstPart = list.find((e) => isRecord(e) && typeof e.part === 'string')?.part as string | undefined;
  const runs: EpochPoint[][] = [];
  for (const entry of list) {
    if (!isRecord(entry) || (firstPart !== undefined && entry.part !== firstPart)) continue;
    const epoch = finite(entry.epoch);
    const loss = finite(entry.loss);
    const acc = finite(entry.accuracy) ?? finite(entry.acc);
    if (epoch === null || loss === null || acc === null) continue;
    const valLoss = finite(entry.valLoss);
    const valAcc = finite(entry.valAccuracy) ?? finite(entry.valAcc);
    const point = { epoch, loss, acc, ...(valLoss !== null ? { valLoss } : {}), ...(valAcc !== null ? { valAcc } : {}) };
    const run = runs[runs.length - 1];
    if (!run || epoch <= run[run.length - 1].epoch) runs.push([point]);
    else run.push(point);
  }
  if (runs.length === 0) return null;
  const epochs = runs.find((run) => run.some((p) => p.valLoss !== undefined)) ?? runs[runs.length - 1];
  const details = isRecord(history) && isRecord(history.details) ? history.details : null;
  const top = details && isRecord(details.top) ? details.top : details;
  return { epochs, bestEpoch: top ? finite(top.bestEpoch) : null, refitEpochs: top ? finite(top.refitEpochs) : null };
}
