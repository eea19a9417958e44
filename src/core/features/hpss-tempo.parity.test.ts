/**
 * Parity of harmony_mean/var, perceptr_mean/var and tempo with the public GTZAN table
 * (../shared/data/gtzan/features_30_sec.csv, librosa 0.7 defaults over whole 30 s clips) on every shared clip.
 * Bars: means within 5% of the column's std across the table; variances median relative error <= 1% and
 * worst <= 5%; tempo within 1 BPM on >= 90% of clips.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioBytes } from '../audio/decode.ts';
import { parseFeaturesCsv } from '../data/csv.ts';
import { analyseClip } from './analysis.ts';
import { harmonicPercussive } from './hpss.ts';
import { estimateTempo } from './tempo.ts';

const GTZAN_DIR = join(__dirname, '../../../../shared/data/gtzan');
const TABLE = join(GTZAN_DIR, 'features_30_sec.csv');
const present = existsSync(TABLE);
if (!present) console.warn(`hpss/tempo parity skipped: ${TABLE} is absent (shared GTZAN clips not available)`);

const COLUMNS = ['harmony_mean', 'harmony_var', 'perceptr_mean', 'perceptr_var', 'tempo'] as const;
type Column = (typeof COLUMNS)[number];

function meanOf(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function varianceOf(x: Float32Array): number {
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / x.length;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

describe.skipIf(!present)('harmony/perceptr/tempo parity with librosa (shared GTZAN clips)', () => {
  const ours: Record<Column, number>[] = [];
  const reference: Record<Column, number>[] = [];
  const files: string[] = [];
  const tableStd = new Map<Column, number>();

  beforeAll(async () => {
    const table = parseFeaturesCsv(readFileSync(TABLE, 'utf8'));
    const index = new Map(COLUMNS.map((c) => [c, table.featureNames.indexOf(c)]));
    for (const c of COLUMNS) {
      const j = index.get(c)!;
      const values = table.rows.map((r) => r.features[j]);
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      tableStd.set(c, Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length));
    }
    const rows = new Map(table.rows.map((r) => [r.file, r]));
    for (const genre of readdirSync(GTZAN_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const name of readdirSync(join(GTZAN_DIR, genre.name)).filter((f) => f.endsWith('.flac')).sort()) {
        const row = rows.get(name.replace(/\.flac$/, '.wav'));
        if (!row) throw new Error(`${name} has no row in the table`);
        const audio = await decodeAudioBytes(new Uint8Array(readFileSync(join(GTZAN_DIR, genre.name, name))));
        const y = audio.channels[0];
        const a = analyseClip(y, audio.sampleRate);
        const { harmonic, percussive } = harmonicPercussive(a.stft, y.length, { samples: y, magnitude: a.magnitude });
        ours.push({
          harmony_mean: meanOf(harmonic),
          harmony_var: varianceOf(harmonic),
          perceptr_mean: meanOf(percussive),
          perceptr_var: varianceOf(percussive),
          tempo: estimateTempo(a.melDb, a.nFrames, a.nMels, a.sampleRate, a.hop),
        });
        reference.push(Object.fromEntries(COLUMNS.map((c) => [c, row.features[index.get(c)!]])) as Record<Column, number>);
        files.push(name);
      }
    }
  }, 600_000);

  it('meets the bars and prints a per-column table', () => {
    expect(files.length).toBeGreaterThan(0);
    const lines = [`${files.length} clips`, `${'column'.padEnd(14)} ${'median err'.padStart(12)} ${'worst err'.padStart(12)}  worst clip`];
    const failures: string[] = [];
    for (const c of COLUMNS) {
      let errors: number[];
      let unit: string;
      if (c === 'tempo') {
        errors = ours.map((o, i) => Math.abs(o.tempo - reference[i].tempo));
        unit = 'BPM';
        const within = errors.filter((e) => e <= 1).length / errors.length;
        if (within < 0.9) failures.push(`tempo within 1 BPM on ${(within * 100).toFixed(1)}% of clips`);
      } else if (c.endsWith('_mean')) {
        const std = tableStd.get(c)!;
        errors = ours.map((o, i) => (Math.abs(o[c] - reference[i][c]) / std) * 100);
        unit = '% of std';
        if (Math.max(...errors) > 5) failures.push(`${c}: worst error ${Math.max(...errors).toFixed(3)}% of std`);
      } else {
        errors = ours.map((o, i) => (Math.abs(o[c] - reference[i][c]) / Math.abs(reference[i][c])) * 100);
        unit = '%';
        if (median(errors) > 1) failures.push(`${c}: median relative error ${median(errors).toFixed(3)}%`);
        if (Math.max(...errors) > 5) failures.push(`${c}: worst relative error ${Math.max(...errors).toFixed(3)}%`);
      }
      const worst = errors.indexOf(Math.max(...errors));
      lines.push(
        `${c.padEnd(14)} ${median(errors).toExponential(2).padStart(12)} ${errors[worst].toExponential(2).padStart(12)}  ${files[worst]} (${unit})`,
      );
    }
    const exactTempo = ours.filter((o, i) => o.tempo === reference[i].tempo).length;
    lines.push(`tempo identical to the table on ${exactTempo}/${files.length} clips`);
    console.log(lines.join('\n'));
    expect(failures).toEqual([]);
  });
});
