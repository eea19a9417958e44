/** Progress callbacks passed down to a model inside another (an ensemble member, a subgenre model). */
import type { TrainOptions } from './types.ts';

/**
 * `options`' epoch and step callbacks, each reporting under the part name that `partOf` makes from the inner
 * model's own part (if any); absent callbacks stay absent.
 */
export function progressWithin(
  options: Pick<TrainOptions, 'onEpoch' | 'onStep'>,
  partOf: (inner: string | undefined) => string,
): Pick<TrainOptions, 'onEpoch' | 'onStep'> {
  const { onEpoch, onStep } = options;
  return {
    onEpoch: onEpoch ? (p) => onEpoch({ ...p, part: partOf(p.part) }) : undefined,
    onStep: onStep ? (p) => onStep({ ...p, part: partOf(p.part) }) : undefined,
  };
}
