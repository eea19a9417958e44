import { describe, expect, it } from 'vitest';
import { extractGtzanFeatures } from './gtzan.ts';
import { analyseClip } from './analysis.ts';
import { float32Buffer, Workspace } from './workspace.ts';

const SR = 22050;

function tone(seconds: number, hz: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: Math.round(seconds * SR) }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 0.3 * Math.sin((2 * Math.PI * hz * i) / SR) + 0.05 * (s / 2147483648 - 0.5);
  });
}

describe('Workspace', () => {
  it('hands out the same memory for a role, grown when a longer array is asked for', () => {
    const ws = new Workspace();
    const a = ws.float32('x', 100);
    const b = ws.float32('x', 60);
    expect(b.length).toBe(60);
    expect(b.buffer).toBe(a.buffer);
    expect(ws.float32('y', 60).buffer).not.toBe(a.buffer);
    const c = ws.float32('x', 200);
    expect(c.length).toBe(200);
    expect(c.buffer).not.toBe(a.buffer);
    expect(ws.float32('x', 10).buffer).toBe(c.buffer);
  });

  it('does not keep arrays longer than a spectrogram of about 47 s', () => {
    const ws = new Workspace();
    const big = ws.float32('x', (1 << 21) + 1);
    expect(ws.float32('x', (1 << 21) + 1).buffer).not.toBe(big.buffer);
  });

  it('allocates fresh zeroed arrays without a workspace', () => {
    const a = float32Buffer(undefined, 'x', 8);
    expect(a).toEqual(new Float32Array(8));
    expect(float32Buffer(undefined, 'x', 8).buffer).not.toBe(a.buffer);
  });

  it('gives an analysis in reused buffers the same spectrograms as a fresh one', () => {
    const ws = new Workspace();
    // Leaves 4 s of another signal's spectrograms in the buffers.
    expect(analyseClip(tone(4, 440, 3), SR, ws).magnitude.length).toBeGreaterThan(0);
    const y = tone(2, 1000, 7);
    const reused = analyseClip(y, SR, ws);
    const fresh = analyseClip(y, SR);
    expect(reused.stft.re).toEqual(fresh.stft.re);
    expect(reused.magnitude).toEqual(fresh.magnitude);
    expect(reused.melDb).toEqual(fresh.melDb);
  });
});

describe('extractFeatures with its shared workspace', () => {
  it('gives a clip the same features whatever was analysed before it', () => {
    const a = tone(3, 220, 1);
    const first = extractGtzanFeatures(a, SR);
    extractGtzanFeatures(tone(5, 3000, 2), SR); // longer, different content
    extractGtzanFeatures(tone(1.5, 80, 4), SR); // shorter
    expect(extractGtzanFeatures(a, SR)).toEqual(first);
  });
});
