/**
 * Extremely randomized trees (Geurts, Ernst & Wehenkel 2006): fully grown trees on every training row, where each
 * node tries √d random features, each at one threshold drawn uniformly between that feature's minimum and maximum in
 * the node, and keeps the split with the lowest weighted Gini impurity. Class probabilities are the mean over trees of
 * the leaf's class shares. Classes are weighted inversely to their frequency, as the other kinds do.
 *
 * Trees make errors unlike the MLP's and the SVM's (they split one raw feature at a time and need no scaling), which
 * is what a soft vote gains from. A forest has no TF.js layers form, so this kind trains only as an ensemble member.
 *
 * Saved as `<prefix>forest.bin`: per node a Float32 threshold, a Uint16 feature (LEAF for a leaf) and an Int32 that
 * is the right child's index for a split (the left child is the next node) or the leaf's row in the leaf table.
 * The table's first rows are one-hot, so pure leaves (nearly all of them) cost no extra bytes.
 */
import { createRng, randomInt, type Rng } from '../../data/random.ts';
import { classWeightsOf, throwIfAborted } from '../train.ts';
import type { Classifier, ModelKind, SavedPart, TrainingSet, TrainOptions, TrainOutcome } from '../types.ts';

export const DEFAULT_TREES = 1000;
const LEAF = 0xffff;
/** The format of forest.bin's header; bump when the layout changes. */
const FOREST_FORMAT = 1;

export interface Forest {
  numFeatures: number;
  numClasses: number;
  /** Index of each tree's root; a tree's nodes run up to the next root. */
  roots: Int32Array;
  threshold: Float32Array;
  feature: Uint16Array;
  /** Right child (splits) or leaf-table row (leaves). */
  next: Int32Array;
  /** Row-major class shares, numClasses per row; rows 0..numClasses-1 are one-hot. */
  leafTable: Float32Array;
}

/** Growable node arrays for one forest. */
class NodeBuffer {
  threshold = new Float32Array(1024);
  feature = new Uint16Array(1024);
  next = new Int32Array(1024);
  length = 0;

  add(threshold: number, feature: number, next: number): number {
    if (this.length === this.feature.length) {
      const grow = <T extends Float32Array | Uint16Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.threshold = grow(this.threshold);
      this.feature = grow(this.feature);
      this.next = grow(this.next);
    }
    this.threshold[this.length] = threshold;
    this.feature[this.length] = feature;
    this.next[this.length] = next;
    return this.length++;
  }
}

interface GrowContext {
  x: Float64Array;
  d: number;
  y: Int32Array;
  weight: Float64Array;
  numClasses: number;
  featuresPerSplit: number;
  rng: Rng;
  nodes: NodeBuffer;
  leafRows: number[];
}

/** Weighted Gini impurity × total weight: Σw − Σ_c w_c² / Σw (0 for an empty side). */
function weightedGini(counts: Float64Array): number {
  let total = 0;
  let squares = 0;
  for (const c of counts) {
    total += c;
    squares += c * c;
  }
  return total > 0 ? total - squares / total : 0;
}

/** A leaf for rows[lo, hi): a one-hot row when pure, else a new row of class shares. */
function addLeaf(ctx: GrowContext, rows: Int32Array, lo: number, hi: number): number {
  const shares = new Float64Array(ctx.numClasses);
  let total = 0;
  for (let i = lo; i < hi; i++) {
    shares[ctx.y[rows[i]]] += ctx.weight[rows[i]];
    total += ctx.weight[rows[i]];
  }
  const present = shares.reduce((n, s) => n + (s > 0 ? 1 : 0), 0);
  if (present === 1) return ctx.nodes.add(0, LEAF, shares.findIndex((s) => s > 0));
  const row = ctx.numClasses + ctx.leafRows.length / ctx.numClasses;
  shares.forEach((s) => ctx.leafRows.push(s / total));
  return ctx.nodes.add(0, LEAF, row);
}

function isPure(y: Int32Array, rows: Int32Array, lo: number, hi: number): boolean {
  for (let i = lo + 1; i < hi; i++) if (y[rows[i]] !== y[rows[lo]]) return false;
  return true;
}

/** Grows one tree over `rows` (reordered in place), depth first with an explicit stack; returns its root index. */
function growTree(ctx: GrowContext, rows: Int32Array): number {
  const { x, d, y, weight, numClasses, rng, nodes } = ctx;
  const order = Int32Array.from({ length: d }, (_, j) => j);
  const left = new Float64Array(numClasses);
  const right = new Float64Array(numClasses);
  const root = nodes.length;
  // Each task: rows[lo, hi) and the split whose right child it is (-1 for the root and left children).
  const stack: Array<[number, number, number]> = [[0, rows.length, -1]];
  while (stack.length > 0) {
    const [lo, hi, parent] = stack.pop()!;
    const at = nodes.length;
    if (parent >= 0) nodes.next[parent] = at;
    if (hi - lo < 2 || isPure(y, rows, lo, hi)) {
      addLeaf(ctx, rows, lo, hi);
      continue;
    }
    let bestScore = Infinity;
    let bestFeature = -1;
    let bestThreshold = 0;
    let tried = 0;
    // Features in random order until featuresPerSplit non-constant ones were tried (or none is left).
    for (let k = 0; k < d && tried < ctx.featuresPerSplit; k++) {
      const pick = k + randomInt(rng, d - k);
      const j = order[pick];
      order[pick] = order[k];
      order[k] = j;
      let min = Infinity;
      let max = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = x[rows[i] * d + j];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (!(max > min)) continue;
      tried++;
      // Rounded to float32 now, so that the saved threshold sends every training row the same way.
      const threshold = Math.fround(min + rng() * (max - min));
      if (!(threshold >= min && threshold < max)) continue;
      left.fill(0);
      right.fill(0);
      for (let i = lo; i < hi; i++) {
        const r = rows[i];
        if (x[r * d + j] <= threshold) left[y[r]] += weight[r];
        else right[y[r]] += weight[r];
      }
      const score = weightedGini(left) + weightedGini(right);
      if (score < bestScore) {
        bestScore = score;
        bestFeature = j;
        bestThreshold = threshold;
      }
    }
    if (bestFeature < 0) {
      // Every feature is constant here: rows that cannot be told apart share one leaf.
      addLeaf(ctx, rows, lo, hi);
      continue;
    }
    let mid = lo;
    for (let i = lo; i < hi; i++) {
      if (x[rows[i] * d + bestFeature] <= bestThreshold) {
        const t = rows[mid];
        rows[mid++] = rows[i];
        rows[i] = t;
      }
    }
    nodes.add(bestThreshold, bestFeature, -1);
    stack.push([mid, hi, at], [lo, mid, -1]);
  }
  return root;
}

export interface ForestOptions {
  trees: number;
  seed: number;
  balanceClasses: boolean;
  signal?: AbortSignal;
  /** Called with the number of trees grown, every PROGRESS_TREES trees and after the last. */
  onTrees?: (grown: number) => void;
}

const PROGRESS_TREES = 50;

/** Grows a forest on row-major `x` (n × d) with classes `y`. */
export function growForest(x: Float64Array, d: number, y: Int32Array, numClasses: number, options: ForestOptions): Forest {
  if (d > LEAF) throw new Error(`extra-trees supports at most ${LEAF} features, got ${d}`);
  const n = y.length;
  const classWeights = options.balanceClasses ? classWeightsOf(y, numClasses) : null;
  const weight = Float64Array.from(y, (c) => (classWeights ? classWeights[c] : 1));
  const ctx: GrowContext = {
    x,
    d,
    y,
    weight,
    numClasses,
    featuresPerSplit: Math.max(1, Math.round(Math.sqrt(d))),
    rng: createRng(options.seed),
    nodes: new NodeBuffer(),
    leafRows: [],
  };
  const roots = new Int32Array(options.trees);
  const rows = new Int32Array(n);
  for (let t = 0; t < options.trees; t++) {
    throwIfAborted(options.signal);
    rows.forEach((_, i) => (rows[i] = i));
    roots[t] = growTree(ctx, rows);
    if ((t + 1) % PROGRESS_TREES === 0 || t + 1 === options.trees) options.onTrees?.(t + 1);
  }
  const leafTable = new Float32Array(numClasses * numClasses + ctx.leafRows.length);
  for (let c = 0; c < numClasses; c++) leafTable[c * numClasses + c] = 1;
  leafTable.set(ctx.leafRows, numClasses * numClasses);
  const { nodes } = ctx;
  return {
    numFeatures: d,
    numClasses,
    roots,
    threshold: nodes.threshold.slice(0, nodes.length),
    feature: nodes.feature.slice(0, nodes.length),
    next: nodes.next.slice(0, nodes.length),
    leafTable,
  };
}

/** The forest's class probabilities for one row (features in training order). */
export function forestProba(forest: Forest, row: ArrayLike<number>): number[] {
  const { numClasses, roots, threshold, feature, next, leafTable } = forest;
  const p = new Array<number>(numClasses).fill(0);
  for (const root of roots) {
    let node = root;
    while (feature[node] !== LEAF) node = row[feature[node]] <= threshold[node] ? node + 1 : next[node];
    const at = next[node] * numClasses;
    for (let c = 0; c < numClasses; c++) p[c] += leafTable[at + c];
  }
  return p.map((v) => v / roots.length);
}

/** forest.bin: a header of six Int32 (format, features, classes, trees, nodes, leaf rows), then the arrays. */
export function encodeForest(forest: Forest): Uint8Array {
  const nodes = forest.feature.length;
  const leafRows = forest.leafTable.length / forest.numClasses;
  const header = Int32Array.of(FOREST_FORMAT, forest.numFeatures, forest.numClasses, forest.roots.length, nodes, leafRows);
  const parts = [header, forest.roots, forest.threshold, forest.next, forest.leafTable, forest.feature];
  const out = new Uint8Array(parts.reduce((s, a) => s + a.byteLength, 0));
  let at = 0;
  for (const a of parts) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

/** Reads forest.bin, checking that every index stays inside the forest (the file may come from anywhere). */
export function decodeForest(bytes: Uint8Array, numClasses: number): Forest {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const invalid = (why: string) => new Error(`forest.bin is not a valid extra-trees model: ${why}`);
  if (copy.byteLength < 24) throw invalid('too short');
  const [format, numFeatures, classes, trees, nodes, leafRows] = [0, 1, 2, 3, 4, 5].map((i) => view.getInt32(i * 4, true));
  if (format !== FOREST_FORMAT) throw invalid(`unknown format ${format}`);
  if (classes !== numClasses) throw invalid(`it has ${classes} classes, the model ${numClasses}`);
  if (!(numFeatures > 0 && numFeatures < LEAF && trees > 0 && nodes >= trees && leafRows >= classes)) throw invalid('bad sizes');
  const expected = 24 + 4 * trees + 4 * nodes + 4 * nodes + 4 * leafRows * classes + 2 * nodes;
  if (copy.byteLength !== expected) throw invalid(`${copy.byteLength} bytes where its header implies ${expected}`);
  let at = 24;
  const take = <T extends Int32Array | Float32Array | Uint16Array>(
    Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T => {
    const out = new Type(copy.buffer, at, length);
    at += length * Type.BYTES_PER_ELEMENT;
    return out;
  };
  const roots = take(Int32Array, trees);
  const threshold = take(Float32Array, nodes);
  const next = take(Int32Array, nodes);
  const leafTable = take(Float32Array, leafRows * classes);
  const feature = take(Uint16Array, nodes);
  if (!leafTable.every((v) => Number.isFinite(v) && v >= 0)) throw invalid('a leaf holds an invalid probability');
  // Each tree must be a proper preorder tree: children after their parent and before the next root, so that every
  // walk ends at a leaf.
  if (roots[0] !== 0) throw invalid('the first tree does not start at node 0');
  for (let t = 0; t < trees; t++) {
    const end = t + 1 < trees ? roots[t + 1] : nodes;
    if (!(roots[t] < end)) throw invalid('a tree has no nodes');
    for (let node = roots[t]; node < end; node++) {
      if (feature[node] === LEAF) {
        if (!(next[node] >= 0 && next[node] < leafRows)) throw invalid('a leaf points outside the leaf table');
      } else if (!(feature[node] < numFeatures && next[node] > node + 1 && next[node] < end && Number.isFinite(threshold[node]))) {
        throw invalid('a split points outside its tree');
      }
    }
  }
  return { numFeatures, numClasses, roots, threshold, feature, next, leafTable };
}

class ForestClassifier implements Classifier {
  readonly kind = 'extra-trees';
  constructor(
    readonly labels: string[],
    readonly forest: Forest,
  ) {}

  predictProba(rows: ArrayLike<number>[]): Promise<number[][]> {
    return Promise.resolve(rows.map((row) => forestProba(this.forest, row)));
  }

  save(prefix: string): Promise<SavedPart> {
    return Promise.resolve({
      kind: this.kind,
      labels: this.labels,
      preprocessing: { trees: this.forest.roots.length, forest: `${prefix}forest.bin` },
      files: { [`${prefix}forest.bin`]: encodeForest(this.forest) },
    });
  }

  dispose(): void {}
}

export const forestKind: ModelKind = {
  kind: 'extra-trees',
  description: `extremely randomized trees (${DEFAULT_TREES} fully grown trees; an ensemble member only)`,
  workload: 'dense',
  trainsInEpochs: false,
  standalone: false,
  input: 'features',
  train(set: TrainingSet, options: TrainOptions): Promise<TrainOutcome> {
    const d = set.featureNames.length;
    const x = new Float64Array(set.rows.length * d);
    set.rows.forEach((row, i) => {
      for (let j = 0; j < d; j++) x[i * d + j] = row[j];
    });
    const trees = options.trees ?? DEFAULT_TREES;
    const forest = growForest(x, d, Int32Array.from(set.y), set.labels.length, {
      trees,
      seed: options.seed,
      balanceClasses: options.fit?.balanceClasses ?? true,
      signal: options.signal,
      onTrees: (grown) => options.onStep?.({ done: grown, total: trees, what: 'growing trees' }),
    });
    return Promise.resolve({
      classifier: new ForestClassifier(set.labels, forest),
      history: [],
      details: { trees: forest.roots.length, nodes: forest.feature.length },
    });
  },
  load(part, files, prefix): Promise<Classifier> {
    const bytes = files[`${prefix}forest.bin`];
    if (!bytes) return Promise.reject(new Error(`the model has no ${prefix}forest.bin`));
    return Promise.resolve(new ForestClassifier(part.labels, decodeForest(bytes, part.labels.length)));
  },
};
