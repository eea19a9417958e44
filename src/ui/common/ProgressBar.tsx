import { useEffect, useRef, useState } from 'react';
import { etaSeconds, formatEta } from './eta.ts';

interface Props {
  label: string;
  /** May be fractional (work inside the next item); the text counts whole items. */
  done: number;
  total: number;
  /** Shown after the counts, e.g. "3 failed". */
  detail?: string;
  running: boolean;
  onCancel?: () => void;
}

/** A labelled progress bar with counts, an ETA while running, and a cancel button. */
export function ProgressBar({ label, done, total, detail, running, onCancel }: Props) {
  const started = useRef<number | null>(null);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) {
      started.current = null;
      return;
    }
    started.current ??= performance.now();
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  const elapsed = started.current === null ? 0 : now - started.current;
  const eta = running ? formatEta(etaSeconds(done, total, elapsed)) : null;
  return (
    <div className="progress-block">
      <div className="row">
        <progress aria-label={label} max={Math.max(total, 1)} value={done} />
        {running && onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <p className="muted" aria-live="polite">
        {label}: {Math.floor(done)} of {total}
        {detail ? `, ${detail}` : ''}
        {eta ? ` — ${eta}` : ''}
      </p>
    </div>
  );
}
