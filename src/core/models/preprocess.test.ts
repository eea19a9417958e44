import { describe, expect, it } from 'vitest';
import { applyStandardizer, fitStandardizer, isStandardizerParams, normalQuantile } from './preprocess.ts';

describe('normalQuantile', () => {
  it('matches the standard normal quantiles', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 6);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963985, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
    expect(normalQuantile(0.8413447461)).toBeCloseTo(1, 6);
  });
});

describe('fitStandardizer', () => {
  // Column 0: symmetric; column 1: positive and right-skewed (like a variance); column 2: constant.
  const rows = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => [v - 4.5, Math.exp(v), 3]);
  const names = ['sym', 'var', 'const'];

  it('logs only the positive columns the log makes less skewed, then standardizes', () => {
    const p = fitStandardizer(rows, names);
    expect(p.logColumns).toEqual([false, true, false]);
    expect(p.mean[0]).toBeCloseTo(0, 12);
    expect(p.std[0]).toBeCloseTo(Math.sqrt(5.25), 12);
    expect(p.std[2]).toBe(1);
    const x = applyStandardizer(p, rows);
    const column = (j: number) => Array.from({ length: rows.length }, (_, i) => x[i * 3 + j]);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(column(1))).toBeCloseTo(0, 5);
    expect(Math.sqrt(mean(column(1).map((v) => v * v)))).toBeCloseTo(1, 5);
    // After the log, the skewed column is evenly spaced like the symmetric one.
    expect(column(1)[1] - column(1)[0]).toBeCloseTo(column(1)[2] - column(1)[1], 3);
    expect(column(2).every((v) => v === 0)).toBe(true);
    expect(isStandardizerParams(p)).toBe(true);
  });

  it('uses the training parameters on new rows, clamping values below the log domain', () => {
    const p = fitStandardizer(rows, names);
    const [row] = [Array.from(applyStandardizer(p, [[100, -5, 3]]))];
    expect(row[0]).toBeCloseTo((100 - 0) / Math.sqrt(5.25), 5);
    expect(Number.isFinite(row[1])).toBe(true);
  });

  it('maps columns through their training quantiles to normal scores on request', () => {
    const p = fitStandardizer(rows, names, { quantileNormal: true });
    expect(p.quantiles).toHaveLength(3);
    const x = applyStandardizer(p, rows);
    const column = Array.from({ length: rows.length }, (_, i) => x[i * 3 + 1]);
    // Ranks are preserved and the scores are symmetric around the median.
    for (let i = 1; i < column.length; i++) expect(column[i]).toBeGreaterThan(column[i - 1]);
    expect(column[0]).toBeCloseTo(-column[7], 5);
    expect(isStandardizerParams(p)).toBe(true);
    expect(isStandardizerParams({ ...p, quantiles: [[0]] })).toBe(false);
  });
});
