import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatFeaturesCsv } from '../../core/data/csv.ts';
import { createRng, randomNormal } from '../../core/data/random.ts';
import { run as classify } from './classify.ts';
import { run as train } from './train.ts';

/** Three well separated classes, 12 songs each, 2 features. */
function table(): string {
  const rng = createRng(3);
  const rows = ['blues', 'jazz', 'rock'].flatMap((label, c) =>
    Array.from({ length: 12 }, (_, s) => ({
      file: `${label}.${String(s).padStart(5, '0')}.wav`,
      group: `${label}.${String(s).padStart(5, '0')}`,
      label,
      length: 661794,
      features: Float64Array.from([4 * c + randomNormal(rng), Math.exp(c + 0.3 * randomNormal(rng))]),
    })),
  );
  return formatFeaturesCsv({ featureNames: ['a_mean', 'b_var'], rows });
}

async function lastStdoutLine(work: () => Promise<number>): Promise<{ code: number; json: Record<string, unknown> }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await work();
    return { code, json: JSON.parse(lines[lines.length - 1]) as Record<string, unknown> };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('muzo train and classify on a features CSV', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'muzo-train-'));
    writeFileSync(join(dir, 'features.csv'), table());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints k-fold metrics with protocol and backend as the last line, and saves the model', async () => {
    const out = join(dir, 'model');
    const { code, json } = await lastStdoutLine(() =>
      train([join(dir, 'features.csv'), '--out', out, '--model', 'logreg', '--folds', '3', '--seed', '1']),
    );
    expect(code).toBe(0);
    expect(json.accuracy).toBeGreaterThan(0.9);
    expect(json.backend).toBe('wasm');
    expect(json.protocol).toMatchObject({ kind: 'kfold', k: 3, grouping: 'song', stratified: true, seed: 1 });
    expect((json.folds as { accuracy: number[] }).accuracy).toHaveLength(3);
    expect(json.perClass).toHaveLength(3);
    expect(json.confusion).toHaveLength(3);
    for (const file of ['metadata.json', 'model.json', 'weights.bin']) expect(existsSync(join(out, file))).toBe(true);
    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    expect(metadata).toMatchObject({ format: 'muzo-model', kind: 'logreg', labels: ['blues', 'jazz', 'rock'], featureNames: ['a_mean', 'b_var'] });

    const predictions = join(dir, 'predictions.csv');
    const classified = await lastStdoutLine(() => classify([out, join(dir, 'features.csv'), '--out', predictions]));
    expect(classified.code).toBe(0);
    const lines = readFileSync(predictions, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,label,confidence,top3');
    expect(lines).toHaveLength(37);
    const correct = lines.slice(1).filter((l) => l.split(',')[0].split('.')[0] === l.split(',')[1]).length;
    expect(correct).toBeGreaterThan(33);
  });

  it('rejects a missing --out, an unknown model kind and a kind that trains only inside an ensemble', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await train([join(dir, 'features.csv')])).toBe(2);
    expect(await train([join(dir, 'features.csv'), '--out', join(dir, 'x'), '--model', 'forest'])).toBe(2);
    expect(await train([join(dir, 'features.csv'), '--out', join(dir, 'y'), '--model', 'extra-trees'])).toBe(2);
    expect(error).toHaveBeenLastCalledWith(expect.stringMatching(/extra-trees .* only inside an ensemble/));
    expect(existsSync(join(dir, 'y'))).toBe(false);
    error.mockRestore();
  });
});
