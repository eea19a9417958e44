import { decodeAudioBytes } from '../../core/audio/decode.ts';
import { checkAnalysable } from '../../core/audio/prepare.ts';
import { listAudioFiles, readAudioBytes } from '../files.ts';

/** One line of `muzo info`'s output. */
export type InfoLine =
  | { file: string; format: string; duration: number; sampleRate: number; channels: number }
  | { file: string; error: string };

/**
 * Decodes one file and checks that muzo can analyse it (so a silent or NaN-filled file reports its error here
 * too). Duration in seconds, to the millisecond.
 */
export async function fileInfo(file: string): Promise<InfoLine> {
  try {
    const decoded = await decodeAudioBytes(await readAudioBytes(file));
    checkAnalysable(decoded);
    const duration = Math.round((decoded.channels[0].length / decoded.sampleRate) * 1000) / 1000;
    return { file, format: decoded.format, duration, sampleRate: decoded.sampleRate, channels: decoded.channels.length };
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
