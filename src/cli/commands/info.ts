import { decodeForAnalysis } from '../../core/audio/decode.ts';
import { listAudioFiles, readAudioBytes } from '../files.ts';

/** One line of `muzo info`'s output. */
export type InfoLine =
  | { file: string; format: string; duration: number; sampleRate: number; channels: number }
  | { file: string; error: string };

/**
 * Decodes one file the way analysis does (so a silent or NaN-filled file reports its error here too, and a long
 * one costs no more memory than its analysis). Duration in seconds, to the millisecond.
 */
export async function fileInfo(file: string): Promise<InfoLine> {
  try {
    const { source } = await decodeForAnalysis(await readAudioBytes(file));
    const duration = Math.round(source.duration * 1000) / 1000;
    return { file, format: source.format, duration, sampleRate: source.sampleRate, channels: source.channels };
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `muzo info <files|dirs>`: one JSON line per audio file on stdout (errors included, as {"file","error"}), and a
 * short message on stderr for each failure. Exit code 0 when at least one file could be read.
 */
export async function run(args: string[]): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    console.error('usage: muzo info <files|dirs>');
    return args.length === 0 ? 2 : 0;
  }
  const files = await listAudioFiles(args);
  if (files.length === 0) {
    console.error(`muzo info: no audio files in ${args.join(', ')}`);
    return 1;
  }
  let readable = 0;
  for (const file of files) {
    const line = await fileInfo(file);
    console.log(JSON.stringify(line));
    if ('error' in line) console.error(`muzo info: ${file}: ${line.error}`);
    else readable++;
  }
  return readable > 0 ? 0 : 1;
}
