import { describe, expect, it } from 'vitest';
import { etaSeconds, formatEta } from './eta.ts';

describe('etaSeconds', () => {
  it('extrapolates the rate so far', () => {
    expect(etaSeconds(2, 10, 4000)).toBe(16);
    expect(etaSeconds(0, 10, 4000)).toBeNull();
    expect(etaSeconds(10, 10, 4000)).toBe(0);
  });
  it('reads well', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(16)).toBe('about 16 s left');
    expect(formatEta(125)).toBe('about 2 min 5 s left');
  });
});
