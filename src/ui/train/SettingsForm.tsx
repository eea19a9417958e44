import { useId } from 'react';
import { modelKinds } from '../../core/models/registry.ts';
import { SEGMENT_CHOICES, type TrainSettings } from './settings.ts';

export function SettingsForm({ settings, onChange, disabled }: { settings: TrainSettings; onChange(s: TrainSettings): void; disabled: boolean }) {
  const id = useId();
  const set = (change: Partial<TrainSettings>) => onChange({ ...settings, ...change });
  const kinds = modelKinds().filter((k) => k.input === 'features');
  return (
    <fieldset className="card settings" disabled={disabled}>
      <legend>Settings</legend>
      <div className="settings-grid">
        <label htmlFor={`${id}-name`}>Model name</label>
        <input id={`${id}-name`} type="text" value={settings.name} onChange={(e) => set({ name: e.target.value })} />

        <label htmlFor={`${id}-kind`}>Model kind</label>
        <select id={`${id}-kind`} value={settings.kind} onChange={(e) => set({ kind: e.target.value })}>
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
            <option key={c.label} value={c.value ?? 'whole'}>
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
          onChange={(e) => set({ epochs: Math.max(1, Math.min(1000, Math.round(Number(e.target.value) || 1))) })}
        />

        <label htmlFor={`${id}-protocol`}>Evaluation protocol</label>
        <select id={`${id}-protocol`} value={settings.protocol} onChange={(e) => set({ protocol: e.target.value as TrainSettings['protocol'] })}>
          <option value="holdout">hold-out ({Math.round(settings.holdoutFraction * 100)}% of the songs for testing)</option>
          <option value="kfold">{settings.folds}-fold cross-validation</option>
        </select>

        <span />
        <label className="checkbox">
          <input type="checkbox" checked={settings.augmentation} onChange={(e) => set({ augmentation: e.target.checked })} /> Augmentation
          (mixup)
        </label>
      </div>
      <p className="muted">Songs never straddle training and test: every segment of a song stays on one side.</p>
    </fieldset>
  );
}
