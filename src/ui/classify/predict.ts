/** A file's prediction from its analysis: the song's genre (and subgenre), its top 3, and a per-segment timeline. */
import { predictProbabilities, predictionsOf, type MuzoModel, type RowPrediction } from '../../core/models/model.ts';
import type { ModelMetadata } from '../../core/models/bundle.ts';
import type { FileAnalysis } from '../pipeline/batch.ts';

export interface SegmentPrediction {
  startSeconds: number;
  endSeconds: number;
  label: string;
  confidence: number;
}

export interface FilePrediction {
  label: string;
  confidence: number;
  subLabel?: string;
  subConfidence?: number;
  /** Probability per top-level label, in the model's label order. */
  probabilities: { label: string; probability: number }[];
  top3: { label: string; probability: number }[];
  segments: SegmentPrediction[];
}

export interface AnalysisNeeds {
  /** Whole-clip features: only a clip-level model reads them. */
  clip: boolean;
  /** Segments for the timeline (and a segment model's rows). */
  segmentSeconds: number;
  logMelPatchSeconds: number | null;
}

/** What to compute for a model: its features and segment length (clip models get a 10 s timeline). */
export function analysisNeeds(metadata: ModelMetadata): AnalysisNeeds {
  const segmentSeconds = metadata.segmentSeconds ?? TIMELINE_SECONDS;
  return {
    clip: metadata.segmentSeconds === null && metadata.input === 'features',
    segmentSeconds,
    logMelPatchSeconds: metadata.input === 'logmel' ? segmentSeconds : null,
  };
}

export const TIMELINE_SECONDS = 10;

/** The analysis's rows in the model's feature order; throws when the model wants a feature that is not there. */
function rowsInModelOrder(analysis: FileAnalysis, featureNames: string[], packed: Float64Array, count: number): Float64Array[] {
  const width = analysis.featureNames.length;
  const index = featureNames.map((name) => analysis.featureNames.indexOf(name));
  const missing = featureNames.filter((_, i) => index[i] < 0);
  if (missing.length > 0) throw new Error(`the model needs features this analysis lacks: ${missing.slice(0, 5).join(', ')}`);
  return Array.from({ length: count }, (_, r) => Float64Array.from(index, (i) => packed[r * width + i]));
}

function mean(rows: number[][]): number[] {
  const out = new Array<number>(rows[0].length).fill(0);
  for (const row of rows) row.forEach((v, i) => (out[i] += v / rows.length));
  return out;
}

function segmentRows(analysis: FileAnalysis, metadata: ModelMetadata, model: MuzoModel): ArrayLike<number>[] {
  if (metadata.input === 'logmel') {
    const mel = analysis.logMel;
    if (!mel) throw new Error('the model needs log-mel patches, which this analysis lacks');
    const size = mel.nFrames * mel.nMels;
    return Array.from({ length: mel.patchCount }, (_, i) => mel.data.subarray(i * size, (i + 1) * size));
  }
  return rowsInModelOrder(analysis, model.featureNames, analysis.segments, analysis.segmentCount);
}

export async function predictFile(model: MuzoModel, metadata: ModelMetadata, analysis: FileAnalysis): Promise<FilePrediction> {
  const segRows = segmentRows(analysis, metadata, model);
  const segProbs = segRows.length > 0 ? await predictProbabilities(model, segRows) : { top: [], paths: null };
  let song: RowPrediction;
  if (analysisNeeds(metadata).clip) {
    // A clip-level model reads the whole clip's features.
    if (!analysis.clip) throw new Error("the model reads the whole clip's features, which this analysis lacks");
    const clipRow = rowsInModelOrder(analysis, model.featureNames, analysis.clip, 1);
    song = predictionsOf(model, await predictProbabilities(model, clipRow))[0];
  } else {
    if (segRows.length === 0) throw new Error('too short for this model: no complete segment');
    // A segment model's song prediction: the mean of its segments' probabilities.
    song = predictionsOf(model, { top: [mean(segProbs.top)], paths: segProbs.paths ? [mean(segProbs.paths)] : null })[0];
  }
  const seconds = analysis.segmentSeconds ?? TIMELINE_SECONDS;
  const segments = predictionsOf(model, segProbs).map((p, i) => ({
    startSeconds: i * seconds,
    endSeconds: Math.min((i + 1) * seconds, analysis.durationSeconds),
    label: p.label,
    confidence: p.confidence,
  }));
  const probabilities = model.labels.map((label, i) => ({ label, probability: song.proba[i] }));
  const top3 = [...probabilities].sort((a, b) => b.probability - a.probability).slice(0, 3);
  return {
    label: song.label,
    confidence: song.confidence,
    subLabel: song.subLabel,
    subConfidence: song.subConfidence,
    probabilities,
    top3,
    segments,
  };
}
