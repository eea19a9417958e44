// `npx muzo features <files|dirs> --out features.csv [--segment SECONDS] [--fast] [--jobs N]`:
// the GTZAN feature table of audio files (label = each file's parent folder name), in the table's CSV layout.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formatFeaturesCsv } from '../../core/data/csv.ts';
import { segmentFileName, songGroupOf, type FeatureRow } from '../../core/data/dataset.ts';
import { extractFeatures, FEATURE_SETS, segmentBounds, type FeatureSetName } from '../../core/features/gtzan.ts';
import { listAudioFiles, readAnalysisAudio } from '../files.ts';

const USAGE = 'usage: muzo features <files|dirs> --out features.csv [--segment SECONDS] [--fast] [--jobs N]';

export interface FeaturesJob {
  path: string;
  featureSet: FeatureSetName;
  /** Seconds per segment (GTZAN's 3-second table); null: one row per file. */
  segmentSeconds: number | null;
}

/** `blues.00000.wav`, segment 3 -> `blues.00000.3.wav` (the naming of GTZAN's 3-second table). */
/** One file's table rows: the whole clip, or one row per segment. */
export async function featureRowsOf(job: FeaturesJob): Promise<{ rows: FeatureRow[]; notes: string[] }> {
  const { pcm, notes } = await readAnalysisAudio(job.path);
  const names = FEATURE_SETS[job.featureSet];
  const file = basename(job.path);
  const label = basename(dirname(resolve(job.path)));
  if (job.segmentSeconds === null) {
    const features = extractFeatures(pcm.samples, pcm.sampleRate, names);
    return { rows: [{ file, group: songGroupOf(file), label, length: pcm.samples.length, features }], notes };
  }
  const rows = segmentBounds(pcm.samples.length, pcm.sampleRate, job.segmentSeconds).map(([start, end], i) => {
    const features = extractFeatures(pcm.samples.subarray(start, end), pcm.sampleRate, names);
    return { file: segmentFileName(file, i), group: songGroupOf(file), label, length: end - start, features };
  });
  return { rows, notes };
}

type JobOutcome = { rows: FeatureRow[]; notes: string[] } | { error: string };

async function runJob(job: FeaturesJob): Promise<JobOutcome> {
  try {
    return await featureRowsOf(job);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const WORKER_FLAG = 'muzoFeaturesWorker';

/** A worker thread that runs jobs sent to it (this module, loaded through tsx's loader). */
function startWorker(): Worker {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const self = import.meta.url;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { [WORKER_FLAG]: true } });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  parentPort?.on('message', (message: { id: number; job: FeaturesJob }) => {
    void runJob(message.job).then((outcome) => parentPort?.postMessage({ id: message.id, outcome }));
  });
}

/** Runs the jobs on `threads` worker threads (in this thread when 1), reporting each outcome in input order. */
async function runJobs(jobs: FeaturesJob[], threads: number, onOutcome: (job: FeaturesJob, o: JobOutcome) => void): Promise<void> {
  const outcomes: (JobOutcome | undefined)[] = new Array(jobs.length);
  let reported = 0;
  const settle = (i: number, outcome: JobOutcome) => {
    outcomes[i] = outcome;
    while (reported < jobs.length && outcomes[reported]) onOutcome(jobs[reported], outcomes[reported++]!);
  };
  if (threads <= 1) {
    for (let i = 0; i < jobs.length; i++) settle(i, await runJob(jobs[i]));
    return;
  }
  let next = 0;
  const workers = Array.from({ length: threads }, startWorker);
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((done, fail) => {
            const feed = () => {
              if (next >= jobs.length) return done();
              const id = next++;
              worker.postMessage({ id, job: jobs[id] });
            };
            worker.on('message', (m: { id: number; outcome: JobOutcome }) => {
              settle(m.id, m.outcome);
              feed();
            });
            worker.on('error', fail);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

interface Options {
  paths: string[];
  out: string;
  segmentSeconds: number | null;
  featureSet: FeatureSetName;
  jobs: number | null;
}

function parseArgs(args: string[]): Options | string {
  const paths: string[] = [];
  let out: string | null = null;
  let segmentSeconds: number | null = null;
  let featureSet: FeatureSetName = 'gtzan';
  let jobs: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out') out = args[++i] ?? null;
    else if (arg === '--segment') {
      segmentSeconds = Number(args[++i]);
      if (!(segmentSeconds > 0)) return `--segment needs a positive number of seconds, got '${args[i]}'`;
    } else if (arg === '--fast') featureSet = 'fast';
    else if (arg === '--jobs') {
      jobs = Number(args[++i]);
      if (!(Number.isInteger(jobs) && jobs >= 1)) return `--jobs needs a positive integer, got '${args[i]}'`;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else paths.push(arg);
  }
  if (!out) return '--out FILE is required (use --out - for standard output)';
  if (paths.length === 0) return 'no input files or folders given';
  return { paths, out, segmentSeconds, featureSet, jobs };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${USAGE}\n  --fast  without harmony_*/perceptr_* (no harmonic/percussive separation)\n  --jobs  worker threads (default: one per core)`);
    return 0;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    console.error(`muzo features: ${options}\n${USAGE}`);
    return 2;
  }
  const files = await listAudioFiles(options.paths);
  if (files.length === 0) {
    console.error('muzo features: no audio files found');
    return 1;
  }
  const jobs = files.map((path) => ({ path, featureSet: options.featureSet, segmentSeconds: options.segmentSeconds }));
  const threads = Math.min(options.jobs ?? availableParallelism(), jobs.length);
  const rows: FeatureRow[] = [];
  let failures = 0;
  const started = performance.now();
  await runJobs(jobs, threads, (job, outcome) => {
    if ('error' in outcome) {
      failures++;
      console.error(`muzo features: ${job.path}: ${outcome.error}`);
      return;
    }
    for (const note of outcome.notes) console.error(`muzo features: ${job.path}: ${note}`);
    rows.push(...outcome.rows);
  });
  if (rows.length === 0) {
    console.error('muzo features: no file could be analysed; nothing written');
    return 1;
  }
  const csv = formatFeaturesCsv({ featureNames: [...FEATURE_SETS[options.featureSet]], rows });
  if (options.out === '-') process.stdout.write(csv);
  else await writeFile(options.out, csv);
  const seconds = (performance.now() - started) / 1000;
  console.error(
    `muzo features: ${rows.length} row${rows.length === 1 ? '' : 's'} from ${files.length - failures} of ${files.length} files` +
      ` in ${seconds.toFixed(1)} s${options.out === '-' ? '' : ` -> ${options.out}`}`,
  );
  return failures > 0 ? 1 : 0;
}
