import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelBundle, type ModelMetadata } from './bundle.ts';

/**
 * Checks a model bundle from an untrusted source (an imported .zip, a model directory) before anything is stored
 * or loaded: safe relative paths, bounded sizes, parseable JSON without prototype-pollution keys, well-typed
 * metadata for this app's feature set, and TF.js layers models whose weight files exist with exactly the byte
 * lengths their manifests declare and hold only finite numbers. Every problem is reported as a sentence for the user.
 */

export const METADATA_FILE = 'metadata.json';

export interface BundleLimits {
  maxFiles: number;
  /** Sum of all files' sizes (uncompressed). */
  maxTotalBytes: number;
  maxJsonBytes: number;
  maxPathLength: number;
  maxTensorRank: number;
  maxTensorDimension: number;
  maxLabels: number;
  maxStringLength: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxFiles: 1000,
  maxTotalBytes: 512 * 1024 * 1024,
  // A k-NN reference set (knn.json) of the 3-second GTZAN table is ~11 MB of JSON.
  maxJsonBytes: 64 * 1024 * 1024,
  maxPathLength: 255,
  maxTensorRank: 8,
  maxTensorDimension: 1 << 24,
  maxLabels: 1000,
  maxStringLength: 200,
};

export interface ValidateOptions {
  /** The app's feature-set version; a model computed on other features is refused. Omit to skip the check. */
  expectedFeatureSetVersion?: string;
  limits?: Partial<BundleLimits>;
}

/** An invalid bundle: `problems` lists every reason, one sentence each. */
export class BundleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n- ${problems.join('\n- ')}`);
    this.name = 'BundleError';
  }
}

/** Keys that would reach Object.prototype (or a constructor) when a parsed object is merged or assigned. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export function limitsWith(partial: Partial<BundleLimits> = {}): BundleLimits {
  return { ...DEFAULT_BUNDLE_LIMITS, ...partial };
}

/** Why `path` is not a safe relative POSIX path inside a bundle, or null when it is. */
export function pathProblem(path: string, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): string | null {
  const shown = JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path);
  if (path.length === 0) return 'a file has an empty name';
  if (path.length > limits.maxPathLength) return `file name ${shown} is longer than ${limits.maxPathLength} characters`;
  if (path.includes('\\')) return `file name ${shown} contains a backslash`;
  if (path.startsWith('/')) return `file name ${shown} is an absolute path`;
  if (/^[A-Za-z]:/.test(path) || path.includes(':')) return `file name ${shown} contains a drive letter or ':'`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return `file name ${shown} contains control characters`;
  const segments = path.split('/');
  if (segments.includes('..')) return `file name ${shown} points outside the model folder ('..')`;
  if (segments.some((s) => s === '' || s === '.')) return `file name ${shown} has an empty or '.' path segment`;
  if (segments.some((s) => FORBIDDEN_KEYS.has(s))) return `file name ${shown} uses a reserved name`;
  return null;
}

/** Problems with a set of paths: each unsafe one, and duplicates (also ignoring case, as on Windows and macOS). */
export function pathsProblems(paths: string[], limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const problem = pathProblem(path, limits);
    if (problem) problems.push(problem);
    const folded = path.toLowerCase();
    if (seen.has(folded)) problems.push(`file name ${JSON.stringify(path)} appears more than once`);
    seen.add(folded);
  }
  return problems;
}

/** Where a forbidden key occurs in a parsed JSON value (e.g. 'config.layers[2].__proto__'), or null. */
export function forbiddenKeyPath(value: unknown, at = ''): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const key of Object.keys(value)) {
    const here = at ? `${at}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], here);
    if (found) return found;
  }
  return null;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: string };

/** Decodes UTF-8 bytes and parses JSON, refusing invalid text and prototype-pollution keys. */
export function parseJsonFile(path: string, bytes: Uint8Array, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): JsonResult {
  if (bytes.byteLength > limits.maxJsonBytes) {
    return { ok: false, problem: `${path} is ${bytes.byteLength} bytes, more than the ${limits.maxJsonBytes} allowed for a JSON file` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: `${path} is not valid UTF-8 text` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${path} is not valid JSON (${(error as Error).message})` };
  }
  const forbidden = forbiddenKeyPath(value);
  if (forbidden) return { ok: false, problem: `${path} contains the forbidden key "${forbidden}"` };
  return { ok: true, value };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function stringListProblems(value: unknown, what: string, limits: BundleLimits, { nonEmpty }: { nonEmpty: boolean }): string[] {
  if (!Array.isArray(value)) return [`${what} must be a list of names`];
  if (nonEmpty && value.length === 0) return [`${what} must not be empty`];
  if (value.length > limits.maxLabels && what.includes('label')) return [`${what} has ${value.length} entries, more than ${limits.maxLabels}`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push(`${what} must contain only non-empty text, found ${JSON.stringify(item)}`);
    } else if (item.length > limits.maxStringLength) {
      problems.push(`${what} contains a name longer than ${limits.maxStringLength} characters`);
    } else if (seen.has(item)) {
      problems.push(`${what} contains ${JSON.stringify(item)} twice`);
    }
    if (typeof item === 'string') seen.add(item);
  }
  return problems;
}

/** Subgenre lists per genre (possibly empty), and where each genre's subgenre model lives (`sub/<i>/`). */
function hierarchyProblems(hierarchy: unknown, labels: unknown[], limits: BundleLimits): string[] {
  const where = `${METADATA_FILE}: hierarchy`;
  if (!isPlainObject(hierarchy) || !isPlainObject(hierarchy.subLabels)) return [`${where}.subLabels must map each genre to its subgenres`];
  const problems: string[] = [];
  const genres = new Set(labels);
  for (const [genre, subs] of Object.entries(hierarchy.subLabels)) {
    if (!genres.has(genre)) problems.push(`${where} names genre ${JSON.stringify(genre)}, which is not among the labels`);
    problems.push(...stringListProblems(subs, `${where}: subgenre labels of ${JSON.stringify(genre)}`, limits, { nonEmpty: false }));
  }
  if (hierarchy.subModels === undefined) return problems;
  if (!Array.isArray(hierarchy.subModels)) return [...problems, `${where}.subModels must be a list`];
  const seen = new Set<string>();
  for (const entry of hierarchy.subModels as unknown[]) {
    if (!isPlainObject(entry) || typeof entry.genre !== 'string' || typeof entry.path !== 'string' || !SUB_MODEL_PATH.test(entry.path)) {
      problems.push(`${where}.subModels entries must be {genre, path} with a path like "sub/0/", found ${JSON.stringify(entry)}`);
    } else if (!genres.has(entry.genre)) {
      problems.push(`${where} has a subgenre model for ${JSON.stringify(entry.genre)}, which is not among the labels`);
    } else if (seen.has(entry.genre) || seen.has(entry.path)) {
      problems.push(`${where} lists the subgenre model of ${JSON.stringify(entry.genre)} or "${entry.path}" twice`);
    } else {
      seen.add(entry.genre);
      seen.add(entry.path);
    }
  }
  return problems;
}

const SUB_MODEL_PATH = /^sub\/\d{1,4}\/$/;

/** Problems with a metadata object (as parsed from metadata.json, or as held by a bundle). */
export function metadataProblems(value: unknown, options: ValidateOptions = {}): string[] {
  const limits = limitsWith(options.limits);
  if (!isPlainObject(value)) return [`${METADATA_FILE} must be a JSON object`];
  const forbidden = forbiddenKeyPath(value);
  if (forbidden) return [`${METADATA_FILE} contains the forbidden key "${forbidden}"`];
  const m = value as Partial<Record<keyof ModelMetadata, unknown>>;
  const problems: string[] = [];
  if (m.format !== MODEL_FORMAT) return [`${METADATA_FILE} is not a muzo model description (format is not "${MODEL_FORMAT}")`];
  if (typeof m.formatVersion !== 'number' || !Number.isInteger(m.formatVersion) || m.formatVersion < 1) {
    problems.push(`${METADATA_FILE}: formatVersion must be a positive whole number`);
  } else if (m.formatVersion > MODEL_FORMAT_VERSION) {
    problems.push(`this model was saved by a newer muzo (model format ${m.formatVersion}; this app reads up to ${MODEL_FORMAT_VERSION})`);
  }
  const text = (key: keyof ModelMetadata) => {
    const v = m[key];
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${METADATA_FILE}: ${key} must be non-empty text`);
    else if (v.length > limits.maxStringLength) problems.push(`${METADATA_FILE}: ${key} is longer than ${limits.maxStringLength} characters`);
  };
  text('name');
  text('kind');
  text('backend');
  problems.push(...stringListProblems(m.labels, `${METADATA_FILE}: labels`, limits, { nonEmpty: true }));
  if (m.hierarchy !== undefined) problems.push(...hierarchyProblems(m.hierarchy, Array.isArray(m.labels) ? m.labels : [], limits));
  if (typeof m.featureSetVersion !== 'string' || m.featureSetVersion === '') {
    problems.push(`${METADATA_FILE}: featureSetVersion must be non-empty text`);
  } else if (options.expectedFeatureSetVersion !== undefined && m.featureSetVersion !== options.expectedFeatureSetVersion) {
    problems.push(
      `this model was trained on features of version "${m.featureSetVersion}" but this app computes version ` +
        `"${options.expectedFeatureSetVersion}": its predictions would be meaningless; retrain it with this version of muzo`,
    );
  }
  problems.push(...stringListProblems(m.featureNames, `${METADATA_FILE}: featureNames`, { ...limits, maxLabels: Infinity }, { nonEmpty: false }));
  if (m.input !== 'features' && m.input !== 'logmel') problems.push(`${METADATA_FILE}: input must be "features" or "logmel"`);
  if (m.segmentSeconds !== null && !(typeof m.segmentSeconds === 'number' && Number.isFinite(m.segmentSeconds) && m.segmentSeconds > 0)) {
    problems.push(`${METADATA_FILE}: segmentSeconds must be a positive number or null`);
  }
  if (!isPlainObject(m.preprocessing)) problems.push(`${METADATA_FILE}: preprocessing must be an object`);
  for (const key of ['evaluation', 'history'] as const) {
    if (m[key] !== undefined && !isPlainObject(m[key])) problems.push(`${METADATA_FILE}: ${key} must be an object`);
  }
  for (const key of ['createdAt', 'updatedAt'] as const) {
    const v = m[key];
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) problems.push(`${METADATA_FILE}: ${key} must be a date`);
  }
  return problems;
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** Bytes one weightsManifest entry occupies (product of its shape × dtype size), or why it is invalid. */
function weightByteLength(weight: unknown, fallbackLabel: string, seenNames: Set<string>, limits: BundleLimits): number | { problem: string } {
  if (!isPlainObject(weight) || typeof weight.name !== 'string' || weight.name === '') return { problem: `${fallbackLabel} has no name` };
  const label = `weight "${weight.name}"`;
  if (seenNames.has(weight.name)) return { problem: `${label} appears twice` };
  seenNames.add(weight.name);
  if (weight.quantization !== undefined) return { problem: `${label} is quantized, which muzo does not support` };
  if (typeof weight.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, weight.dtype)) {
    return { problem: `${label} has dtype ${JSON.stringify(weight.dtype)}; only float32, int32 and bool are allowed` };
  }
  const shape = weight.shape;
  if (!Array.isArray(shape) || shape.length > limits.maxTensorRank) {
    return { problem: `${label} must have a shape of at most ${limits.maxTensorRank} dimensions` };
  }
  if (!shape.every((d) => Number.isInteger(d) && d >= 0 && d <= limits.maxTensorDimension)) {
    return { problem: `${label} has shape ${JSON.stringify(shape)}; dimensions must be whole numbers from 0 to ${limits.maxTensorDimension}` };
  }
  const bytes = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[weight.dtype];
  if (bytes > limits.maxTotalBytes) return { problem: `${label} has shape ${JSON.stringify(shape)}, larger than any model muzo accepts` };
  return bytes;
}

/** The name of the first float32 weight holding NaN or ±Infinity (which would turn every prediction into NaN). */
function firstNonFiniteWeight(layout: { name: string; dtype: string; bytes: number }[], parts: Uint8Array[]): string | null {
  const data = parts.length === 1 ? parts[0] : concatBytes(parts);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const { name, dtype, bytes } of layout) {
    if (dtype === 'float32') {
      for (let at = offset; at < offset + bytes; at += 4) if (!Number.isFinite(view.getFloat32(at, true))) return name;
    }
    offset += bytes;
  }
  return null;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * Problems with one TF.js layers model (`modelJsonPath` inside `files`): topology present, every weight file of
 * the manifest present, and each group's bytes equal to the sum over its weights of product(shape) × dtype size.
 */
export function layersModelProblems(
  modelJsonPath: string,
  modelJson: unknown,
  files: Record<string, Uint8Array>,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): string[] {
  const where = modelJsonPath;
  if (!isPlainObject(modelJson)) return [`${where} must be a JSON object`];
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    return [`${where} is a TF.js "${String(modelJson.format)}", not a layers model`];
  }
  const problems: string[] = [];
  const topology = modelJson.modelTopology;
  if (!isPlainObject(topology) || typeof topology.class_name !== 'string' || !isPlainObject(topology.config)) {
    problems.push(`${where} has no valid modelTopology (class_name and config)`);
  }
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) return [...problems, `${where} has no weightsManifest list`];
  const dir = directoryOf(modelJsonPath);
  const weightNames = new Set<string>();
  manifest.forEach((group: unknown, g) => {
    if (!isPlainObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      problems.push(`${where}: weightsManifest group ${g} must have "paths" and "weights" lists`);
      return;
    }
    let declaredBytes = 0;
    let weightsOk = true;
    const layout: { name: string; dtype: string; bytes: number }[] = [];
    for (const [w, weight] of (group.weights as unknown[]).entries()) {
      const bytes = weightByteLength(weight, `weight ${w} of group ${g}`, weightNames, limits);
      if (typeof bytes === 'number') {
        declaredBytes += bytes;
        const spec = weight as { name: string; dtype: string };
        layout.push({ name: spec.name, dtype: spec.dtype, bytes });
      } else {
        problems.push(`${where}: ${bytes.problem}`);
        weightsOk = false;
      }
    }
    let fileBytes = 0;
    let filesOk = true;
    const parts: Uint8Array[] = [];
    for (const p of group.paths as unknown[]) {
      if (typeof p !== 'string') {
        problems.push(`${where}: weightsManifest group ${g} has a path that is not text`);
        filesOk = false;
        continue;
      }
      // TF.js resolves manifest paths relative to model.json; browser downloads write them as './name'.
      const full = dir + p.replace(/^\.\//, '');
      const pathIssue = pathProblem(full, limits);
      if (pathIssue) {
        problems.push(`${where}: weight ${pathIssue}`);
        filesOk = false;
      } else if (!Object.hasOwn(files, full)) {
        problems.push(`${where} needs the weight file "${full}", which is missing`);
        filesOk = false;
      } else {
        fileBytes += files[full].byteLength;
        parts.push(files[full]);
      }
    }
    if (weightsOk && filesOk && fileBytes !== declaredBytes) {
      problems.push(`${where}: weight files of group ${g} hold ${fileBytes} bytes but the manifest's shapes need ${declaredBytes}`);
    } else if (weightsOk && filesOk) {
      const notFinite = firstNonFiniteWeight(layout, parts);
      if (notFinite) problems.push(`${where}: weight "${notFinite}" contains NaN or infinite values`);
    }
  });
  return problems;
}

/** Every problem with a bundle; empty when it is safe to store and load. */
export function bundleProblems(bundle: ModelBundle, options: ValidateOptions = {}): string[] {
  const limits = limitsWith(options.limits);
  const problems: string[] = [];
  if (!isPlainObject(bundle) || !isPlainObject(bundle.files)) return ['not a model bundle'];
  const paths = Object.keys(bundle.files);
  if (paths.length + 1 > limits.maxFiles) problems.push(`the model has ${paths.length + 1} files, more than the ${limits.maxFiles} allowed`);
  problems.push(...pathsProblems([METADATA_FILE, ...paths], limits));
  let total = 0;
  for (const path of paths) {
    const bytes = bundle.files[path];
    if (!(bytes instanceof Uint8Array)) problems.push(`file "${path}" has no bytes`);
    else total += bytes.byteLength;
  }
  if (total > limits.maxTotalBytes) problems.push(`the model's files take ${total} bytes, more than the ${limits.maxTotalBytes} allowed`);
  problems.push(...metadataProblems(bundle.metadata, options));
  if (problems.length > 0) return problems;

  const hierarchy = bundle.metadata.hierarchy as { subModels?: { path: string }[] } | undefined;
  for (const { path } of hierarchy?.subModels ?? []) {
    for (const needed of [`${path}part.json`, `${path}model.json`]) {
      if (!Object.hasOwn(bundle.files, needed)) problems.push(`the subgenre model file "${needed}" is missing`);
    }
  }
  // The promise of the format: the unpacked folder is a model plain tf.loadLayersModel reads.
  if (!Object.hasOwn(bundle.files, 'model.json')) problems.push('model.json is missing: the model has no TF.js layers model at its top level');
  for (const path of paths.filter((p) => p.endsWith('.json')).sort()) {
    const parsed = parseJsonFile(path, bundle.files[path], limits);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const isModelJson = path === 'model.json' || path.endsWith('/model.json');
    if (isModelJson) problems.push(...layersModelProblems(path, parsed.value, bundle.files, limits));
  }
  return problems;
}

/** Throws a BundleError listing every problem, or returns the bundle unchanged. */
export function validateModelBundle(bundle: ModelBundle, options: ValidateOptions = {}): ModelBundle {
  const problems = bundleProblems(bundle, options);
  if (problems.length > 0) throw new BundleError(problems);
  return bundle;
}

/**
 * A bundle from the files of a model folder or zip (metadata.json included), validated. Nothing is kept from an
 * invalid set of files: the result is either a whole valid bundle or a BundleError.
 */
export function bundleFromFiles(files: Record<string, Uint8Array>, options: ValidateOptions = {}): ModelBundle {
  const limits = limitsWith(options.limits);
  const pathIssues = pathsProblems(Object.keys(files), limits);
  if (pathIssues.length > 0) throw new BundleError(pathIssues);
  if (!Object.hasOwn(files, METADATA_FILE)) throw new BundleError([`${METADATA_FILE} is missing: this is not a muzo model`]);
  const parsed = parseJsonFile(METADATA_FILE, files[METADATA_FILE], limits);
  if (!parsed.ok) throw new BundleError([parsed.problem]);
  const rest: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(files)) if (path !== METADATA_FILE) rest[path] = bytes;
  return validateModelBundle({ metadata: parsed.value as ModelMetadata, files: rest }, options);
}

/** The bundle as the files of a model folder: metadata.json (pretty-printed) plus its files. */
export function bundleToFiles(bundle: ModelBundle): Record<string, Uint8Array> {
  return {
    [METADATA_FILE]: new TextEncoder().encode(`${JSON.stringify(bundle.metadata, null, 2)}\n`),
    ...bundle.files,
  };
}
