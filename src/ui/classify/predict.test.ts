import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../core/backend/select.ts';
import type { ModelMetadata } from '../../core/models/bundle.ts';
import { disposeModel, trainModel, type LabelledRows, type MuzoModel } from '../../core/models/model.ts';
import type { FileAnalysis } from '../pipeline/batch.ts';
import { analysisNeeds, predictFile } from './predict.ts';

/** Two classes that differ only in feature 'a' (low vs high); 'b' is noise-free filler. */
function rows(): LabelledRows {
  const out: LabelledRows['rows'] = [];
  for (let i = 0; i < 20; i++) {
    out.push({ label: 'low', group: `low${i}`, features: [-2 - (i % 5) * 0.1, 1] });
    out.push({ label: 'high', group: `high${i}`, features: [2 + (i % 5) * 0.1, 1] });
  }
  return { featureNames: ['a', 'b'], rows: out };
}

/** An analysis whose features come in another order than the model's, with an extra column. */
function analysis(clipA: number, segmentAs: number[]): FileAnalysis {
  const names = ['x', 'b', 'a'];
  return {
    featureNames: names,
    clip: Float64Array.from([99, 1, clipA]),
    segments: Float64Array.from(segmentAs.flatMap((a) => [99, 1, a])),
    segmentCount: segmentAs.length,
    segmentSeconds: 10,
    logMel: null,
    durationSeconds: 10 * segmentAs.length + 4,
    notes: [],
  };
}

const meta = (segmentSeconds: number | null) => ({ segmentSeconds, input: 'features' }) as ModelMetadata;

describe('predictFile', () => {
  let model: MuzoModel;
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' });
    model = (await trainModel(rows(), 'logreg', { seed: 1, fit: { epochs: 60 } })).model;
    return () => disposeModel(model);
  });

  it('reads the features by name, whatever their order, and predicts the song from the whole clip', async () => {
    const p = await predictFile(model, meta(null), analysis(2.2, [-2, -2, 2]));
    expect(p.label).toBe('high');
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(p.top3.map((t) => t.label)).toEqual(['high', 'low']);
    expect(p.probabilities.reduce((s, q) => s + q.probability, 0)).toBeCloseTo(1, 5);
    // The timeline is per segment, the last one ending with the song.
    expect(p.segments.map((s) => s.label)).toEqual(['low', 'low', 'high']);
    expect(p.segments.map((s) => [s.startSeconds, s.endSeconds])).toEqual([[0, 10], [10, 20], [20, 30]]);
  });

  it("takes a segment model's song prediction from the mean of its segments", async () => {
    const p = await predictFile(model, meta(10), analysis(2.2, [-2, -2, 2]));
    expect(p.label).toBe('low');
  });

  it('says which features are missing', async () => {
    const bad = { ...analysis(1, [1]), featureNames: ['x', 'b', 'c'] };
    await expect(predictFile(model, meta(null), bad)).rejects.toThrow(/lacks: a/);
  });

  it('asks for the timeline or the model segment length, and for whole-clip features only for a clip-level model', () => {
    expect(analysisNeeds(meta(null))).toEqual({ clip: true, segmentSeconds: 10, logMelPatchSeconds: null });
    expect(analysisNeeds(meta(3))).toEqual({ clip: false, segmentSeconds: 3, logMelPatchSeconds: null });
    expect(analysisNeeds({ segmentSeconds: 3, input: 'logmel' } as ModelMetadata)).toEqual({ clip: false, segmentSeconds: 3, logMelPatchSeconds: 3 });
  });

  it("says so when a clip-level model meets an analysis without the clip's features", async () => {
    await expect(predictFile(model, meta(null), { ...analysis(1, [1]), clip: null })).rejects.toThrow(/whole clip's features/);
  });
});
