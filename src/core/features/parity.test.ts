/**
 * Parity with librosa: every shared GTZAN clip's 57 features against its row of the public table
 * (../shared/data/gtzan/features_30_sec.csv, computed with librosa 0.7/0.8 defaults over the whole clip).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioBytes } from '../audio/decode.ts';
import { parseFeaturesCsv } from '../data/csv.ts';
import { extractGtzanFeatures, GTZAN_FEATURE_NAMES } from './gtzan.ts';

const GTZAN_DIR = join(__dirname, '../../../../shared/data/gtzan');
const TABLE = join(GTZAN_DIR, 'features_30_sec.csv');
const present = existsSync(TABLE);

/** Columns held to absolute error <= 5% of the column's std across the table (means of zero-mean waveforms). */
const WAVEFORM_MEANS = new Set(['harmony_mean', 'perceptr_mean']);

interface ClipResult {
  file: string;
  ours: Float64Array;
  reference: Float64Array;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A fraction as a percentage, in exponent form when tiny so exact matches stay visible. */
function percent(x: number, unit = '%'): string {
  const p = x * 100;
  return `${p === 0 ? '0' : p < 1e-3 ? p.toExponential(1) : p.toFixed(4)}${unit}`;
}

function std(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
}

describe.skipIf(!present)('GTZAN feature parity with librosa (shared clips vs features_30_sec.csv)', () => {
  const results: ClipResult[] = [];
  let tableStd = new Map<string, number>();

  beforeAll(async () => {
    const table = parseFeaturesCsv(readFileSync(TABLE, 'utf8'));
    expect(table.featureNames).toEqual(GTZAN_FEATURE_NAMES);
    tableStd = new Map(table.featureNames.map((name, j) => [name, std(table.rows.map((r) => r.features[j]))]));
    const rows = new Map(table.rows.map((r) => [r.file, r]));
    const genres = readdirSync(GTZAN_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
    for (const genre of genres) {
      for (const name of readdirSync(join(GTZAN_DIR, genre.name)).filter((f) => f.endsWith('.flac')).sort()) {
        const row = rows.get(name.replace(/\.flac$/, '.wav'));
        if (!row) throw new Error(`${name} has no row in the table`);
        const audio = await decodeAudioBytes(new Uint8Array(readFileSync(join(GTZAN_DIR, genre.name, name))));
        expect(audio.channels[0].length).toBe(row.length);
        results.push({ file: name, ours: extractGtzanFeatures(audio.channels[0], audio.sampleRate), reference: row.features });
      }
    }
  }, 600_000);

  it('reports per-column errors and meets the bars on every column', () => {
    expect(results.length).toBeGreaterThan(0);
    const lines = [`${'column'.padEnd(26)} ${'median err'.padStart(11)} ${'worst err'.padStart(11)}  worst clip`];
    const failures: string[] = [];
    GTZAN_FEATURE_NAMES.forEach((name, j) => {
      if (name === 'tempo') {
        const within = results.filter((r) => Math.abs(r.ours[j] - r.reference[j]) <= 1).length;
        const misses = results.filter((r) => Math.abs(r.ours[j] - r.reference[j]) > 1);
        const share = within / results.length;
        lines.push(
          `${name.padEnd(26)} ${`${(share * 100).toFixed(1)}%`.padStart(11)} ${'<=1 BPM'.padStart(11)}  ` +
            misses.map((r) => `${r.file} ${r.ours[j].toFixed(2)} vs ${r.reference[j].toFixed(2)}`).join('; '),
        );
        if (share < 0.9) failures.push(`tempo within 1 BPM on ${(share * 100).toFixed(1)}% of clips (< 90%)`);
        return;
      }
      if (WAVEFORM_MEANS.has(name)) {
        const scale = tableStd.get(name) ?? 0;
        const errors = results.map((r) => Math.abs(r.ours[j] - r.reference[j]) / scale);
        const worst = errors.indexOf(Math.max(...errors));
        lines.push(
          `${name.padEnd(26)} ${percent(median(errors), '%σ').padStart(11)} ${percent(errors[worst], '%σ').padStart(11)}  ${results[worst].file}`,
        );
        if (errors[worst] > 0.05) failures.push(`${name}: worst abs error ${(errors[worst] * 100).toFixed(2)}% of the table std (> 5%)`);
        return;
      }
      const errors = results.map((r) => Math.abs(r.ours[j] - r.reference[j]) / Math.abs(r.reference[j]));
      const worst = errors.indexOf(Math.max(...errors));
      const med = median(errors);
      lines.push(
        `${name.padEnd(26)} ${percent(med).padStart(11)} ${percent(errors[worst]).padStart(11)}  ${results[worst].file}`,
      );
      if (!(med <= 0.01)) failures.push(`${name}: median relative error ${(med * 100).toFixed(3)}% (> 1%)`);
      if (!(errors[worst] <= 0.05)) failures.push(`${name}: worst relative error ${(errors[worst] * 100).toFixed(3)}% on ${results[worst].file} (> 5%)`);
    });
    console.log(`GTZAN parity over ${results.length} clips\n${lines.join('\n')}`);
    expect(failures).toEqual([]);
  });

  it('never returns NaN or Inf', () => {
    for (const r of results) expect(r.ours.every(Number.isFinite)).toBe(true);
  });
});

if (!present) console.warn(`parity test skipped: ${TABLE} is absent (the shared GTZAN data is not checked out)`);
