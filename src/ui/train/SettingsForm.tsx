import { useId } from 'react';
import { getModelKind, modelKinds } from '../../core/models/registry.ts';
import { AUGMENTATION_MIXUP_ALPHA, GROUPING_CHOICES, SEGMENT_CHOICES, validPattern, type TrainSettings } from './settings.ts';
import type { GroupingChoice } from './dataset.ts';

export function SettingsForm({ settings, onChange, disabled }: { settings: TrainSettings; onChange(s: TrainSettings): void; disabled: boolean }) {
  const id = useId();
  const set = (change: Partial<TrainSettings>) => onChange({ ...settings, ...change });
  // Kinds without a layers form (extra-trees) train only inside an ensemble.
  const kinds = modelKinds().filter((k) => k.standalone);
  // The CNN reads log-mel patches of each segment: it needs segments.
  const patches = getModelKind(settings.kind).input === 'logmel';
  const epochs = getModelKind(settings.kind).trainsInEpochs;
  const chooseKind = (kind: string) =>
    getModelKind(kind).input === 'logmel'
      ? set({ kind, segmentSeconds: settings.segmentSeconds ?? 3 })
      : set({ kind });
  return (
    <fieldset className="card settings" disabled={disabled}>
      <legend>Settings</legend>
      <div className="settings-grid">
        <label htmlFor={`${id}-name`}>Model name</label>
        <input id={`${id}-name`} type="text" value={settings.name} onChange={(e) => set({ name: e.target.value })} />

        <label htmlFor={`${id}-kind`}>Model kind</label>
        <select id={`${id}-kind`} value={settings.kind} onChange={(e) => chooseKind(e.target.value)}>
          {kinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.kind} — {k.description}
            </option>
          ))}
        </select>

        <label htmlFor={`${id}-segment`}>Segment length</label>
        <select
          id={`${id}-segment`}
          value={settings.segmentSeconds ?? 'whole'}
          onChange={(e) => set({ segmentSeconds: e.target.value === 'whole' ? null : Number(e.target.value) })}
        >
          {SEGMENT_CHOICES.map((c) => (
            <option key={c.label} value={c.value ?? 'whole'} disabled={patches && c.value === null}>
              {c.label}
            </option>
          ))}
        </select>

        <label htmlFor={`${id}-epochs`}>Epochs (at most)</label>
        <input
          id={`${id}-epochs`}
          type="number"
          min={1}
          max={1000}
          value={settings.epochs}
          disabled={!epochs}
          onChange={(e) => set({ epochs: Math.max(1, Math.min(1000, Math.round(Number(e.target.value) || 1))) })}
        />

        <label htmlFor={`${id}-protocol`}>Evaluation protocol</label>
        <select id={`${id}-protocol`} value={settings.protocol} onChange={(e) => set({ protocol: e.target.value as TrainSettings['protocol'] })}>
          <option value="holdout">hold-out ({Math.round(settings.holdoutFraction * 100)}% of the songs for testing)</option>
          <option value="kfold">{settings.folds}-fold cross-validation</option>
        </select>

        <label htmlFor={`${id}-grouping`}>Keep together</label>
        <select id={`${id}-grouping`} value={settings.grouping} onChange={(e) => set({ grouping: e.target.value as GroupingChoice })}>
          {GROUPING_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>

        {settings.grouping === 'pattern' && (
          <>
            <label htmlFor={`${id}-pattern`}>Artist pattern (group 1)</label>
            <input
              id={`${id}-pattern`}
              type="text"
              spellCheck={false}
              value={settings.artistPattern}
              aria-invalid={!validPattern(settings.artistPattern)}
              onChange={(e) => set({ artistPattern: e.target.value })}
            />
          </>
        )}

        <span />
        <label className="checkbox">
          <input type="checkbox" checked={settings.augmentation} onChange={(e) => set({ augmentation: e.target.checked })} /> Audio
          augmentation (a copy of each training song: time stretch ±10%, pitch ±2 semitones, gain ±6 dB, noise at 20–40 dB SNR)
        </label>

        <span />
        <label className="checkbox">
          <input type="checkbox" checked={settings.mixup} disabled={!epochs} onChange={(e) => set({ mixup: e.target.checked })} /> Mixup of training features
          (α {AUGMENTATION_MIXUP_ALPHA})
        </label>
      </div>
      <p className="muted">
        {settings.grouping === 'song'
          ? 'Songs never straddle training and test: every segment of a song stays on one side.'
          : 'Artists never straddle training and test; a file without an artist stays with its own segments.'}{' '}
        Augmented copies are only ever trained on, never tested.
      </p>
      {!epochs && <p className="muted">{settings.kind} does not train in epochs: the epoch limit and mixup do not apply to it.</p>}
      {patches && (
        <p className="muted">
          The CNN learns from log-mel spectrogram patches (128 mel bands) of each segment; a song’s prediction is the mean of its patches’.
          It trains more slowly than the feature models.
        </p>
      )}
    </fieldset>
  );
}
