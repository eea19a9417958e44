/**
 * The evaluation protocol end to end (src/core/models/evaluate.ts over this area's splits): songs whose segments
 * share a song-specific "fingerprint" but whose labels are unrelated to it. A memorising model (k-NN) scores
 * ~100% when a song's segments straddle train and test, and chance (25%, 4 classes) when songs are kept whole.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../data/random.ts';
import { evaluateModel, type EvaluationResult } from '../models/evaluate.ts';

const featureNames = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'];

function fingerprintSongs() {
  const rng = createRng(2024);
  const rows: Array<{ label: string; group: string; file: string; features: number[] }> = [];
  for (let s = 0; s < 40; s++) {
    const fingerprint = featureNames.map(() => rng() * 10);
    for (let k = 0; k < 8; k++) {
      rows.push({
        label: `class${s % 4}`,
        group: `song${s}`,
        file: `song${s}.wav`,
        features: fingerprint.map((v) => v + 0.01 * (rng() - 0.5)),
      });
    }
  }
  return rows;
}

describe('evaluateModel keeps the segments of a song out of training when testing it', () => {
  it('a memorising k-NN is at chance under song-grouped 5-fold', async () => {
    const rows = fingerprintSongs();
    const result = await evaluateModel({ featureNames, rows }, { kind: 'knn', scheme: { kind: 'kfold', k: 5 }, seed: 1 });
    expect(result.description).toBe('stratified 5-fold, grouped by song, song-level');
    expect(result.songs).toBe(40);
    expect(result.top.summary.accuracy.mean).toBeLessThan(0.5);
  });

  it('still keeps songs whole when the rows carry groups finer than their songs (it must not trust `group` alone)', async () => {
    // E.g. a caller that set one group per segment: the protocol would claim "grouped by song" while each song's
    // segments sit on both sides. Either refuse such input or split on whole songs; never report ~100%.
    const rows = fingerprintSongs().map((r, i) => ({ ...r, group: `segment${i}` }));
    const songs = rows.map((r) => r.file);
    let result: EvaluationResult;
    try {
      result = await evaluateModel({ featureNames, rows }, { kind: 'knn', scheme: { kind: 'kfold', k: 5 }, seed: 1, songs });
    } catch (error) {
      expect(String(error)).toMatch(/song/i);
      return;
    }
    expect(result.top.summary.accuracy.mean).toBeLessThan(0.5);
  });
});
