import { describe, expect, it } from 'vitest';
import { heatIntensities, rowNormalize } from './confusionData.ts';

describe('rowNormalize', () => {
  it('divides each row by its sum and leaves empty rows at zero', () => {
    expect(rowNormalize([[3, 1], [0, 0], [2, 6]])).toEqual([[0.75, 0.25], [0, 0], [0.25, 0.75]]);
  });
});

describe('heatIntensities', () => {
  it('scales by the largest cell', () => {
    expect(heatIntensities([[8, 2], [4, 0]])).toEqual([[1, 0.25], [0.5, 0]]);
  });
  it('gives zeros for an all-zero matrix', () => {
    expect(heatIntensities([[0, 0], [0, 0]])).toEqual([[0, 0], [0, 0]]);
  });
});
