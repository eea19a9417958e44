/** Every model kind muzo can train, by the name used in metadata.kind, the CLI's --model and the UI. */
import { cnnKind } from './kinds/cnn.ts';
import { logregKind, mlpKind } from './kinds/dense.ts';
import { ensembleKind } from './kinds/ensemble.ts';
import { forestKind } from './kinds/forest.ts';
import { knnKind } from './kinds/knn.ts';
import { svmKind } from './kinds/svm.ts';
import type { ModelKind } from './types.ts';

export const DEFAULT_MODEL_KIND = 'mlp';

const kinds = new Map<string, ModelKind>();

export function getModelKind(kind: string): ModelKind {
  const found = kinds.get(kind);
  if (!found) throw new Error(`unknown model kind '${kind}' (known: ${[...kinds.keys()].join(', ')})`);
  return found;
}

export function modelKinds(): ModelKind[] {
  return [...kinds.values()];
}

for (const kind of [logregKind, mlpKind, knnKind, svmKind, forestKind, cnnKind, ensembleKind(getModelKind)]) kinds.set(kind.kind, kind);
