/** The analysis worker: a comlink adapter over analyseAudio; results go back with their buffers transferred. */
import { expose, transfer } from 'comlink';
import { analyseAudio, type AnalysisInput, type AnalysisOptions, type AnalysisStage } from './analysis.ts';

const api = {
  async analyse(input: AnalysisInput, options: AnalysisOptions, onStage?: (stage: AnalysisStage) => void) {
    const result = await analyseAudio(input, options, onStage);
    const buffers = [result.segments.buffer] as ArrayBuffer[];
    if (result.clip) buffers.push(result.clip.buffer as ArrayBuffer);
    if (result.logMel) buffers.push(result.logMel.data.buffer as ArrayBuffer);
    return transfer(result, buffers);
  },
};

export type AnalysisWorkerApi = typeof api;

expose(api);
