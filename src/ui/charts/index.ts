export { ConfusionMatrix } from './ConfusionMatrix.tsx';
export { PerClassBars, type ClassScores } from './PerClassBars.tsx';
export { ProjectionScatter, type ProjectedPoint } from './ProjectionScatter.tsx';
export { FeatureDistribution, type ClassHistogram } from './FeatureDistribution.tsx';
export { ClassCounts } from './ClassCounts.tsx';
export { TrainingCurves, type EpochPoint } from './TrainingCurves.tsx';
export { classColor } from './palette.ts';
