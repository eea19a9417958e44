// Bench section `training`: time to train the default MLP on the GTZAN table (all 1000 rows, no folds, a fixed
// number of epochs, no early stopping) and per-song inference time, on each TF.js backend available in Node.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendName } from '../../core/backend/select.ts';
import { parseFeaturesCsv } from '../../core/data/csv.ts';
import { disposeModel, predictProbabilities, trainModel } from '../../core/models/model.ts';
import { DEFAULT_MODEL_KIND } from '../../core/models/registry.ts';
import { cpuMs, round, SHARED_GTZAN_DIR } from '../benchMeasure.ts';
import { nodeWasmPath } from '../commands/train.ts';

const TABLE = join(SHARED_GTZAN_DIR, 'features_30_sec.csv');
const EPOCHS = 30;
const INFERENCE_SONGS = 200;

export async function bench(): Promise<Record<string, unknown>> {
  if (!existsSync(TABLE)) return { skipped: `${TABLE} is absent` };
  const data = parseFeaturesCsv(readFileSync(TABLE, 'utf8'));
  const result: Record<string, unknown> = { model: DEFAULT_MODEL_KIND, rows: data.rows.length, epochs: EPOCHS };
  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    const choice = await selectBackend({ force: backend, wasmPath: nodeWasmPath() });
    if (choice.backend !== backend) {
      result[backend] = { error: `unavailable (${choice.reason})` };
      continue;
    }
    const wall = performance.now();
    const cpu = cpuMs();
    const { model } = await trainModel(data, DEFAULT_MODEL_KIND, {
      seed: 0,
      validationFraction: 0,
      fit: { epochs: EPOCHS, patience: EPOCHS },
    });
    const trainWallMs = performance.now() - wall;
    const trainCpuMs = cpuMs() - cpu;
    // One song at a time, as the Classify view does: features of one clip -> probabilities.
    const songs = data.rows.slice(0, INFERENCE_SONGS).map((r) => [r.features]);
    await predictProbabilities(model, songs[0]);
    const inferenceStart = performance.now();
    for (const song of songs) await predictProbabilities(model, song);
    const perSongMs = (performance.now() - inferenceStart) / songs.length;
    disposeModel(model);
    result[backend] = {
      trainSeconds: round(trainWallMs / 1000, 2),
      trainCpuSeconds: round(trainCpuMs / 1000, 2),
      msPerEpoch: round(trainWallMs / EPOCHS, 1),
      inferenceMsPerSong: round(perSongMs, 3),
    };
  }
  await selectBackend({ wasmPath: nodeWasmPath() });
  return result;
}
