import { describe, expect, it } from 'vitest';
import { formatPercent, formatRate, formatSeconds } from './format.ts';

describe('formatting', () => {
  it('writes durations as m:ss.s', () => {
    expect(formatSeconds(2)).toBe('0:02.0');
    expect(formatSeconds(61.25)).toBe('1:01.3');
    expect(formatSeconds(undefined)).toBe('—');
  });
  it('writes rates and percentages', () => {
    expect(formatRate(44100)).toBe('44100 Hz');
    expect(formatRate(null)).toBe('—');
    expect(formatPercent(0.8766)).toBe('87.7%');
  });
});
