// `npm run build:default-model`: the built-in default of the app, made reproducibly from the public GTZAN table.
//   1. copies ../shared/data/gtzan/features_30_sec.csv to public/default/gtzan.csv (the built-in dataset);
//   2. trains the default 10-genre model on it with muzo's own CLI (fixed seed: same data, same model);
//   3. writes public/default/MODEL_CARD.md from the CLI's JSON result, and public/default/manifest.json, which
//      the app reads to know what is built in.
// `--if-missing` (used by `prebuild`) does nothing when the model is already there. Without ../shared/data it
// skips with a message and writes a manifest saying nothing is built in, so the app says so too.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SOURCE_CSV = join(ROOT, '..', 'shared', 'data', 'gtzan', 'features_30_sec.csv');
const OUT = join(ROOT, 'public', 'default');
const DATASET = join(OUT, 'gtzan.csv');
const MODEL = join(OUT, 'model');
const MANIFEST = join(OUT, 'manifest.json');
const CARD = join(OUT, 'MODEL_CARD.md');
const SEED = 1;

const ifMissing = process.argv.includes('--if-missing');
const say = (message) => console.log(`build:default-model: ${message}`);

function writeManifest(manifest) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
}

if (ifMissing && existsSync(join(MODEL, 'metadata.json')) && existsSync(DATASET) && existsSync(MANIFEST)) {
  say('public/default/model is present; nothing to do (run `npm run build:default-model` to rebuild it).');
  process.exit(0);
}

if (!existsSync(SOURCE_CSV)) {
  say(`${relative(ROOT, SOURCE_CSV)} not found: skipping the built-in dataset and default model.`);
  say('The app will say that no built-in model is available.');
  writeManifest({ dataset: null, model: null, card: null, reason: 'built without ../shared/data/gtzan/features_30_sec.csv' });
  process.exit(0);
}

mkdirSync(OUT, { recursive: true });
copyFileSync(SOURCE_CSV, DATASET);
say(`copied ${relative(ROOT, SOURCE_CSV)} to ${relative(ROOT, DATASET)}`);

// Train into a temporary folder, then swap it in, so that a failed run never leaves a half-written model.
const staging = `${MODEL}.tmp`;
rmSync(staging, { recursive: true, force: true });
const args = ['bin/muzo.mjs', 'train', relative(ROOT, DATASET), '--out', relative(ROOT, staging), '--seed', String(SEED)];
say(`node ${args.join(' ')}`);
const started = Date.now();
const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
if (run.status !== 0) {
  process.stdout.write(run.stdout ?? '');
  say(`training failed (exit ${run.status}); public/default/model is unchanged.`);
  process.exit(run.status || 1);
}
const lastLine = run.stdout.trim().split('\n').pop() ?? '';
let result;
try {
  result = JSON.parse(lastLine);
} catch {
  say(`the CLI's last output line is not JSON: ${lastLine.slice(0, 200)}`);
  process.exit(1);
}
rmSync(MODEL, { recursive: true, force: true });
renameSync(staging, MODEL);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say(`trained in ${seconds} s: accuracy ${pct(result.accuracy)}, macro-F1 ${pct(result.macroF1)} (${protocolText(result.protocol)})`);

const metadata = JSON.parse(readFileSync(join(MODEL, 'metadata.json'), 'utf8'));
writeFileSync(CARD, modelCard(metadata, result));
writeManifest({ dataset: 'gtzan.csv', model: 'model/', modelFiles: listFiles(MODEL), card: 'MODEL_CARD.md', seed: SEED });
say(`wrote ${relative(ROOT, CARD)} and ${relative(ROOT, MANIFEST)}`);

/** Relative POSIX paths of every file under `dir` (the app fetches each to rebuild the model bundle). */
function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

function pct(x) {
  return typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : 'n/a';
}

function protocolText(protocol) {
  if (typeof protocol === 'string') return protocol;
  if (protocol && typeof protocol === 'object') {
    if (typeof protocol.description === 'string') return `${protocol.description}, seed ${protocol.seed}`;
    const p = protocol;
    const scheme = p.kind === 'kfold' ? `${p.stratified ? 'stratified ' : ''}${p.k}-fold` : `${p.stratified ? 'stratified ' : ''}${pct(p.testFraction)} hold-out`;
    const grouping = p.grouping === 'none' ? 'ungrouped' : `grouped by ${p.grouping}`;
    return `${scheme}, ${grouping}, ${p.level}-level, seed ${p.seed}`;
  }
  return 'protocol not reported';
}

function perClassTable(perClass) {
  const rows = Array.isArray(perClass)
    ? perClass
    : Object.entries(perClass ?? {}).map(([label, m]) => ({ label, ...m }));
  if (rows.length === 0) return '';
  const lines = ['| genre | precision | recall | F1 | support |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.label} | ${pct(r.precision)} | ${pct(r.recall)} | ${pct(r.f1)} | ${r.support ?? ''} |`);
  return lines.join('\n');
}

function modelCard(meta, res) {
  const extra = [
    ['top-2 accuracy', res.top2Accuracy],
    ['macro one-vs-rest ROC-AUC', res.rocAucMacro],
  ].filter(([, v]) => typeof v === 'number');
  return `# muzo built-in default model

Generated by \`npm run build:default-model\` (scripts/build-default-model.mjs); do not edit by hand.

## Model
- Kind: ${meta.kind}; backend used for training: ${res.backend ?? meta.backend}
- Labels (${meta.labels.length}): ${meta.labels.join(', ')}
- Input: ${meta.featureNames.length} features per 30 s clip, feature set ${meta.featureSetVersion}
- Trained with \`node ${args.join(' ').replace(relative(ROOT, staging), 'public/default/model')}\` (seed ${SEED}; the same data and seed give the same model)
- Created: ${meta.createdAt}

## Data
The public GTZAN features table (\`features_30_sec.csv\`): 1000 clips of 30 s, 100 per genre, 10 genres
(blues, classical, country, disco, hiphop, jazz, metal, pop, reggae, rock); 57 features computed with librosa
defaults over each whole clip (22050 Hz mono). GTZAN (Tzanetakis and Cook, 2002) is for research use.

## Evaluation
Protocol: ${protocolText(res.protocol)}. The deployed model is then trained on all 1000 clips.

- Accuracy: ${pct(res.accuracy)}
- Macro-F1: ${pct(res.macroF1)}
${extra.map(([k, v]) => `- ${k}: ${pct(v)}`).join('\n')}
${res.folds ? `- Accuracy per fold: ${res.folds.accuracy.map(pct).join(', ')} (mean ${pct(res.folds.mean)} ± ${pct(res.folds.std)})\n` : ''}${res.folds && typeof res.pooledAccuracy === 'number' ? `- Accuracy of the pooled out-of-fold predictions: ${pct(res.pooledAccuracy)}\n` : ''}${typeof res.gap === 'number' ? `- Train-vs-test gap (training accuracy minus test accuracy): ${pct(res.gap)}\n` : ''}
${perClassTable(res.perClass)}

## Known limits
- **Artist repetition**: many clips of a genre come from the same artist or album (e.g. many reggae clips by one
  artist); a split that does not group by artist, like this one, is optimistic (Sturm, 2013).
- **Mislabelings and repeated excerpts**: some clips are mislabeled, some are repeated or near-duplicates
  (Sturm, 2013, "The GTZAN dataset: its contents, its faults, their effects on evaluation").
- **Era and length**: 30 s clips of mostly 1990s–2000s recordings (many from radio and CDs), some with distortion;
  music outside that era and production style may be classified less reliably.
- **Ten Western genres only**: every song is forced into one of these ten; there is no "other" class, and
  genres from other traditions, subgenres and mixed styles are not modelled.
- **Clip-level features**: the model sees 57 summary statistics of a whole clip, nothing of the song's structure.
`;
}
