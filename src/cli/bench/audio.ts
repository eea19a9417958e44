// Bench section `audio`: FLAC decode time of a shared 30 s clip, WAV parse time, resampling time of 30 s at
// common rates (wall and CPU ms, median of 5), and the resampler's measured accuracy on test tones.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudioBytes } from '../../core/audio/decode.ts';
import { peakFrequency, toneAmplitude } from '../../core/audio/measure.ts';
import { resample } from '../../core/audio/resample.ts';
import { ANALYSIS_SAMPLE_RATE } from '../../core/audio/types.ts';
import { encodeWav } from '../../core/audio/wav.ts';
import { cpuMs, median, round, SHARED_GTZAN_DIR } from '../benchMeasure.ts';

const FLAC_CLIP = join(SHARED_GTZAN_DIR, 'jazz', 'jazz.00000.flac');
const RUNS = 5;

/** Median wall and CPU milliseconds of `RUNS` runs after one warm-up. */
async function time(work: () => unknown): Promise<{ wallMs: number; cpuMs: number }> {
  await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [w, c] = [performance.now(), cpuMs()];
    await work();
    wall.push(performance.now() - w);
    cpu.push(cpuMs() - c);
  }
  return { wallMs: round(median(wall)), cpuMs: round(median(cpu)) };
}

const sine = (frequency: number, rate: number, seconds: number): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * i) / rate));

function accuracy(rate: number): Record<string, number> {
  const out = resample(sine(1000, rate, 5), rate, ANALYSIS_SAMPLE_RATE);
  const result: Record<string, number> = {
    frequencyErrorHz: round(peakFrequency(out, ANALYSIS_SAMPLE_RATE, 997, 1003) - 1000, 6),
    levelErrorDb: round(20 * Math.log10(toneAmplitude(out, ANALYSIS_SAMPLE_RATE, 1000) / 0.5), 6),
  };
  if (rate > ANALYSIS_SAMPLE_RATE) {
    // a tone above the new Nyquist: what is left of it at its alias frequency
    const high = rate === 44100 ? 15000 : 13000;
    const aliased = resample(sine(high, rate, 5), rate, ANALYSIS_SAMPLE_RATE);
    result[`stopbandAttenuationDb_${high}Hz`] = round(-20 * Math.log10(toneAmplitude(aliased, ANALYSIS_SAMPLE_RATE, ANALYSIS_SAMPLE_RATE - high) / 0.5));
  }
  return result;
}

export async function bench(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  if (existsSync(FLAC_CLIP)) {
    const flac = new Uint8Array(readFileSync(FLAC_CLIP));
    result.decodeFlac30s22k = await time(() => decodeAudioBytes(flac));
  } else {
    result.decodeFlac30s22k = { skipped: `no shared clip at ${FLAC_CLIP}` };
  }
  const stereo = sine(440, 44100, 30);
  const wav = encodeWav([stereo, stereo], 44100, 'int16');
  result.parseWav30s44kStereo16 = await time(() => decodeAudioBytes(wav));
  for (const rate of [44100, 48000, 16000]) {
    const input = sine(1000, rate, 30);
    result[`resample30s_${rate}`] = { ...(await time(() => resample(input, rate, ANALYSIS_SAMPLE_RATE))), ...accuracy(rate) };
  }
  return result;
}
