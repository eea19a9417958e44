import { useId, useMemo, useState } from 'react';
import type { FeatureDataset } from '../../core/data/dataset.ts';
import { featureDistribution } from '../../core/metrics/featureStats.ts';
import { FeatureDistribution } from '../charts/FeatureDistribution.tsx';

const BINS = 24;

/** A feature picker and that feature's distribution per class. */
export function FeatureDistributionPanel({ dataset }: { dataset: FeatureDataset }) {
  const selectId = useId();
  const [featureIndex, setFeatureIndex] = useState(() => Math.max(0, dataset.featureNames.indexOf('spectral_centroid_mean')));
  const index = featureIndex < dataset.featureNames.length ? featureIndex : 0;
  const distribution = useMemo(
    () => featureDistribution(dataset.rows.map((r) => r.features[index]), dataset.rows.map((r) => r.label), { bins: BINS }),
    [dataset, index],
  );
  return (
    <div className="explore-feature">
      <div className="row">
        <label htmlFor={selectId}>Feature</label>
        <select id={selectId} value={index} onChange={(e) => setFeatureIndex(Number(e.target.value))}>
          {dataset.featureNames.map((name, i) => (
            <option key={name} value={i}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {/* Classes come sorted by label, the order that assigns class colours everywhere. */}
      <FeatureDistribution featureName={dataset.featureNames[index]} edges={distribution.edges} histograms={distribution.classes} />
      {distribution.skipped > 0 && <p className="muted">{distribution.skipped} rows without a finite value are left out.</p>}
    </div>
  );
}
