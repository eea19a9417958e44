import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ModelBundle } from './bundle.ts';
import { FIXTURE_FEATURE_SET_VERSION, denseModelFiles, fixtureBundle, fixtureMetadata, hierarchicalFixtureBundle } from './bundleFixture.ts';
import { BundleError, bundleToFiles } from './bundleValidate.ts';
import { bundleFromZip, bundleToZip, crc32 } from './bundleZip.ts';

const expected = { expectedFeatureSetVersion: FIXTURE_FEATURE_SET_VERSION };

/** A zip of the bundle's files with some replaced, added (string values are UTF-8 text) or removed (null). */
function zipWith(changes: Record<string, Uint8Array | string | null>, bundle: ModelBundle = fixtureBundle(), level = 6): Uint8Array {
  const entries: Zippable = {};
  const files: Record<string, Uint8Array | string | null> = { ...bundleToFiles(bundle), ...changes };
  for (const [path, bytes] of Object.entries(files)) {
    if (bytes !== null) entries[path] = [typeof bytes === 'string' ? strToU8(bytes) : bytes, { level: level as 0 | 6 }];
  }
  return zipSync(entries);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit arbitrary depths of model.json
type AnyJson = Record<string, any>;

function modelJsonWith(edit: (json: AnyJson) => void): string {
  const json = JSON.parse(new TextDecoder().decode(denseModelFiles()['model.json'])) as AnyJson;
  edit(json);
  return JSON.stringify(json);
}

/** Offset of the central-directory header of `name`. */
function centralHeaderOf(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const nameBytes = strToU8(name);
  for (let at = zip.length - 46; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== nameBytes.length) continue;
    if (nameBytes.every((b, i) => zip[at + 46 + i] === b)) return at;
  }
  throw new Error(`no central header for ${name}`);
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof BundleError) return error.problems;
    throw error;
  }
  throw new Error('expected a BundleError, but the import succeeded');
}

describe('bundleToZip / bundleFromZip', () => {
  it('round-trips a bundle byte for byte', () => {
    const bundle = fixtureBundle();
    const back = bundleFromZip(bundleToZip(bundle), expected);
    expect(back.metadata).toEqual(bundle.metadata);
    expect(Object.keys(back.files).sort()).toEqual(['model.json', 'weights.bin']);
    for (const [path, bytes] of Object.entries(bundle.files)) expect(back.files[path]).toEqual(bytes);
  });

  it('round-trips a hierarchical bundle with sub-model folders', () => {
    const bundle = hierarchicalFixtureBundle();
    const back = bundleFromZip(bundleToZip(bundle), expected);
    expect(back).toEqual(bundle);
  });

  it('writes the plain model-folder layout: metadata.json, model.json and weights.bin at the root', () => {
    const unzipped = unzipSync(bundleToZip(fixtureBundle()));
    expect(Object.keys(unzipped).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    expect(JSON.parse(new TextDecoder().decode(unzipped['metadata.json']))).toEqual(fixtureMetadata());
  });

  it('is deterministic: the same bundle gives the same bytes', () => {
    expect(bundleToZip(fixtureBundle())).toEqual(bundleToZip(fixtureBundle()));
  });

  it('accepts a zip holding one folder with the model inside, and ignores macOS archive junk', () => {
    const entries: Zippable = { '__MACOSX/._model.json': strToU8('junk') };
    for (const [path, bytes] of Object.entries(bundleToFiles(fixtureBundle()))) entries[`my model/${path}`] = bytes;
    expect(bundleFromZip(zipSync(entries), expected)).toEqual(fixtureBundle());
  });

  it('reads stored (uncompressed) entries too', () => {
    expect(bundleFromZip(zipWith({}, fixtureBundle(), 0), expected)).toEqual(fixtureBundle());
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  });
});

describe('bundleFromZip refuses broken and hostile files, each with its reason', () => {
  it('not a zip at all', () => {
    expect(problemsOf(() => bundleFromZip(strToU8('{"hello": "world"} and some more text to exceed 22 bytes'), expected))).toEqual([
      'the file is not a valid zip archive (no end-of-archive record)',
    ]);
  });

  it('a truncated zip', () => {
    const zip = zipWith({});
    expect(problemsOf(() => bundleFromZip(zip.subarray(0, zip.length - 30), expected))[0]).toMatch(/^the file is not a valid zip archive/);
  });

  it('an entry whose bytes were altered (checksum)', () => {
    const zip = zipWith({}, fixtureBundle(), 0);
    const header = centralHeaderOf(zip, 'weights.bin');
    const local = new DataView(zip.buffer).getUint32(header + 42, true);
    zip[local + 30 + 'weights.bin'.length + 5] ^= 0xff;
    expect(problemsOf(() => bundleFromZip(zip, expected))).toEqual(['the file is not a valid zip archive ("weights.bin" fails its checksum)']);
  });

  it('an empty zip', () => {
    expect(problemsOf(() => bundleFromZip(zipSync({}), expected))).toEqual(['the zip is empty']);
  });

  it('bad JSON in model.json and in metadata.json', () => {
    expect(problemsOf(() => bundleFromZip(zipWith({ 'model.json': '{"modelTopology": ' }), expected))[0]).toMatch(
      /^model\.json is not valid JSON \(/,
    );
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': 'not json' }), expected))[0]).toMatch(/^metadata\.json is not valid JSON \(/);
  });

  it('text that is not UTF-8', () => {
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), expected))).toEqual([
      'metadata.json is not valid UTF-8 text',
    ]);
  });

  it('path tricks: .., absolute, backslash, drive letter, duplicates ignoring case', () => {
    expect(problemsOf(() => bundleFromZip(zipWith({ '../evil.bin': 'x' }), expected))).toEqual([
      `file name "../evil.bin" points outside the model folder ('..')`,
    ]);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'sub/../../evil.bin': 'x' }), expected))).toEqual([
      `file name "sub/../../evil.bin" points outside the model folder ('..')`,
    ]);
    expect(problemsOf(() => bundleFromZip(zipWith({ '/etc/evil': 'x' }), expected))).toEqual(['file name "/etc/evil" is an absolute path']);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'sub\\evil.bin': 'x' }), expected))).toEqual(['file name "sub\\\\evil.bin" contains a backslash']);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'C:/evil.bin': 'x' }), expected))).toEqual([`file name "C:/evil.bin" contains a drive letter or ':'`]);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'Model.json': 'x' }), expected))).toEqual(['file name "Model.json" appears more than once']);
  });

  it('prototype-pollution keys anywhere in parsed JSON', () => {
    const metadata = JSON.stringify(fixtureMetadata()).replace('{', '{"__proto__": {"polluted": true},');
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': metadata }), expected))).toEqual([
      'metadata.json contains the forbidden key "__proto__"',
    ]);
    const modelJson = modelJsonWith((j) => {
      j.modelTopology.config.layers[0].config.kernel_initializer = JSON.parse('{"constructor": {"prototype": {"x": 1}}}');
    });
    expect(problemsOf(() => bundleFromZip(zipWith({ 'model.json': modelJson }), expected))).toEqual([
      'model.json contains the forbidden key "modelTopology.config.layers[0].config.kernel_initializer.constructor"',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('absurd, negative, fractional or too many dimensions in weight shapes', () => {
    const withShape = (shape: unknown) =>
      zipWith({
        'model.json': modelJsonWith((j) => {
          j.weightsManifest[0].weights[0].shape = shape;
        }),
      });
    expect(problemsOf(() => bundleFromZip(withShape([100000, 100000]), expected))).toEqual([
      'model.json: weight "dense_Dense1/kernel" has shape [100000,100000], larger than any model muzo accepts',
    ]);
    expect(problemsOf(() => bundleFromZip(withShape([4, -3]), expected))[0]).toMatch(/has shape \[4,-3\]; dimensions must be whole numbers/);
    expect(problemsOf(() => bundleFromZip(withShape([4, 1.5]), expected))[0]).toMatch(/has shape \[4,1\.5\]; dimensions must be whole numbers/);
    expect(problemsOf(() => bundleFromZip(withShape(new Array(20).fill(1)), expected))[0]).toMatch(/must have a shape of at most 8 dimensions/);
  });

  it('dtypes other than float32, int32 and bool', () => {
    const zip = zipWith({
      'model.json': modelJsonWith((j) => {
        j.weightsManifest[0].weights[1].dtype = 'float64';
      }),
    });
    expect(problemsOf(() => bundleFromZip(zip, expected))).toEqual([
      'model.json: weight "dense_Dense1/bias" has dtype "float64"; only float32, int32 and bool are allowed',
    ]);
  });

  it('weights whose byte length does not match the manifest', () => {
    const short = fixtureBundle().files['weights.bin'].subarray(0, 56);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'weights.bin': short }), expected))).toEqual([
      "model.json: weight files of group 0 hold 56 bytes but the manifest's shapes need 60",
    ]);
  });

  it('weights holding NaN or infinity', () => {
    const weights = new Float32Array(fixtureBundle().files['weights.bin'].slice().buffer);
    weights[13] = Number.NaN;
    expect(problemsOf(() => bundleFromZip(zipWith({ 'weights.bin': new Uint8Array(weights.buffer) }), expected))).toEqual([
      'model.json: weight "dense_Dense1/bias" contains NaN or infinite values',
    ]);
    weights[13] = 0;
    weights[2] = Number.NEGATIVE_INFINITY;
    expect(problemsOf(() => bundleFromZip(zipWith({ 'weights.bin': new Uint8Array(weights.buffer) }), expected))).toEqual([
      'model.json: weight "dense_Dense1/kernel" contains NaN or infinite values',
    ]);
  });

  it('missing weights, and weight paths that leave the model folder', () => {
    expect(problemsOf(() => bundleFromZip(zipWith({ 'weights.bin': null }), expected))).toEqual([
      'model.json needs the weight file "weights.bin", which is missing',
    ]);
    const escaping = modelJsonWith((j) => {
      j.weightsManifest[0].paths = ['../weights.bin'];
    });
    expect(problemsOf(() => bundleFromZip(zipWith({ 'model.json': escaping }), expected))).toEqual([
      `model.json: weight file name "../weights.bin" points outside the model folder ('..')`,
    ]);
  });

  it('a model.json without topology', () => {
    const zip = zipWith({ 'model.json': modelJsonWith((j) => delete j.modelTopology) });
    expect(problemsOf(() => bundleFromZip(zip, expected))).toEqual(['model.json has no valid modelTopology (class_name and config)']);
  });

  it('a model for another feature set', () => {
    const zip = bundleToZip(fixtureBundle({ featureSetVersion: 'librosa-0.8-57' }));
    expect(problemsOf(() => bundleFromZip(zip, expected))).toEqual([
      `this model was trained on features of version "librosa-0.8-57" but this app computes version "${FIXTURE_FEATURE_SET_VERSION}": ` +
        'its predictions would be meaningless; retrain it with this version of muzo',
    ]);
  });

  it('metadata with wrong fields or types, reported all at once', () => {
    const metadata = { ...fixtureMetadata(), labels: ['rock', 'rock', ''], input: 'audio', segmentSeconds: -1, createdAt: 'yesterday' };
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': JSON.stringify(metadata) }), expected))).toEqual([
      'metadata.json: labels contains "rock" twice',
      'metadata.json: labels must contain only non-empty text, found ""',
      'metadata.json: input must be "features" or "logmel"',
      'metadata.json: segmentSeconds must be a positive number or null',
      'metadata.json: createdAt must be a date',
    ]);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': JSON.stringify({ ...fixtureMetadata(), labels: [] }) }), expected))).toEqual([
      'metadata.json: labels must not be empty',
    ]);
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': '[1, 2]' }), expected))).toEqual(['metadata.json must be a JSON object']);
  });

  it('a zip without a top-level model.json', () => {
    expect(problemsOf(() => bundleFromZip(zipWith({ 'model.json': null, 'weights.bin': null, ...denseModelFiles('sub/') }), expected))).toEqual([
      'model.json is missing: the model has no TF.js layers model at its top level',
    ]);
  });

  it('a hierarchy whose subgenre models are missing or misplaced', () => {
    const bundle = hierarchicalFixtureBundle();
    expect(problemsOf(() => bundleFromZip(zipWith({ 'sub/0/part.json': null }, bundle), expected))).toEqual([
      'the subgenre model file "sub/0/part.json" is missing',
    ]);
    const hierarchy = { subLabels: { Rock: ['Grunge'], Pop: ['K-pop'] }, subModels: [{ genre: 'Rock', path: '../0/' }] };
    const metadata = JSON.stringify({ ...bundle.metadata, hierarchy });
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': metadata }, bundle), expected))).toEqual([
      'metadata.json: hierarchy names genre "Pop", which is not among the labels',
      'metadata.json: hierarchy.subModels entries must be {genre, path} with a path like "sub/0/", found {"genre":"Rock","path":"../0/"}',
    ]);
  });

  it('a zip without metadata.json', () => {
    expect(problemsOf(() => bundleFromZip(zipWith({ 'metadata.json': null }), expected))).toEqual([
      'metadata.json is missing: this is not a muzo model',
    ]);
  });

  it('a zip bomb by declared size: refused before anything is inflated', () => {
    const zip = zipWith({});
    new DataView(zip.buffer).setUint32(centralHeaderOf(zip, 'weights.bin') + 24, 0xfffffff0, true);
    expect(problemsOf(() => bundleFromZip(zip, expected))[0]).toMatch(/^the zip declares \d+ bytes once unpacked, more than the 536870912 a model may take$/);
  });

  it('a zip bomb that lies about its size: inflation stops at the declared size', () => {
    const zip = zipWith({ 'padding.bin': new Uint8Array(8 * 1024 * 1024) });
    expect(zip.length).toBeLessThan(40_000);
    new DataView(zip.buffer).setUint32(centralHeaderOf(zip, 'padding.bin') + 24, 1000, true);
    expect(problemsOf(() => bundleFromZip(zip, expected))).toEqual([
      '"padding.bin" inflates to more than the 1000 bytes it declares: the zip is corrupt or hostile',
    ]);
  });

  it('too many files', () => {
    const extra = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`extra/${i}.bin`, 'x']));
    expect(problemsOf(() => bundleFromZip(zipWith(extra), { ...expected, limits: { maxFiles: 4 } }))).toEqual([
      'the zip holds 8 files, more than the 4 allowed',
    ]);
  });

  it('encrypted entries', () => {
    const zip = zipWith({});
    const header = centralHeaderOf(zip, 'model.json');
    zip[header + 8] |= 1;
    expect(problemsOf(() => bundleFromZip(zip, expected))).toEqual(['"model.json" in the zip is encrypted; export the model again without a password']);
  });
});
