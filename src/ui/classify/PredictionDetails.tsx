import { useEffect, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, ChartFigure, TOOLTIP_STYLE } from '../charts/ChartFigure.tsx';
import { classColor } from '../charts/palette.ts';
import { formatPercent, formatSeconds } from '../common/format.ts';
import type { FilePrediction } from './predict.ts';

const ROW_HEIGHT = 28;

function ProbabilityChart({ prediction, labels }: { prediction: FilePrediction; labels: string[] }) {
  const data = prediction.probabilities.map((p) => ({ ...p, color: classColor(labels.indexOf(p.label)) }));
  return (
    <ChartFigure
      title="Class probabilities"
      description={`Most probable: ${prediction.top3.map((t) => `${t.label} ${formatPercent(t.probability)}`).join(', ')}.`}
    >
      <BarChart
        responsive
        layout="vertical"
        style={{ width: '100%', height: data.length * ROW_HEIGHT + 40 }}
        data={data}
        margin={{ top: 5, right: 12, bottom: 5, left: 0 }}
      >
        <CartesianGrid horizontal={false} />
        <XAxis type="number" domain={[0, 1]} tick={AXIS_TICK} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={90} interval={0} />
        <Tooltip {...TOOLTIP_STYLE} formatter={(v) => (typeof v === 'number' ? formatPercent(v) : String(v))} />
        <Bar dataKey="probability" name="probability" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.label} fill={d.color} />
          ))}
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}

/** Segments as coloured blocks along the song, each named for assistive technology. */
function Timeline({ prediction, labels, segmentSeconds }: { prediction: FilePrediction; labels: string[]; segmentSeconds: number }) {
  const segments = prediction.segments;
  if (segments.length === 0) return <p className="muted">Too short for a per-segment timeline.</p>;
  const total = segments[segments.length - 1].endSeconds;
  return (
    <ChartFigure title={`Genre per ${segmentSeconds} s segment`} description={`${segments.length} segments; the song's genre is ${prediction.label}.`}>
      <ol className="timeline" aria-label="Segments">
        {segments.map((s) => (
          <li
            key={s.startSeconds}
            style={{ flexGrow: s.endSeconds - s.startSeconds, flexBasis: 0, background: classColor(labels.indexOf(s.label)) }}
            title={`${formatSeconds(s.startSeconds)}–${formatSeconds(s.endSeconds)}: ${s.label} (${formatPercent(s.confidence)})`}
          >
            <span className="visually-hidden">
              {formatSeconds(s.startSeconds)} to {formatSeconds(s.endSeconds)}: {s.label}, {formatPercent(s.confidence)}
            </span>
            <span aria-hidden="true">{s.label}</span>
          </li>
        ))}
      </ol>
      <div className="row muted timeline-axis" aria-hidden="true">
        <span>0:00</span>
        <span>{formatSeconds(total)}</span>
      </div>
    </ChartFigure>
  );
}

function AudioPreview({ file, name }: { file: File; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  return url ? <audio controls src={url} aria-label={`Play ${name}`} preload="metadata" /> : null;
}

export function PredictionDetails({
  path,
  file,
  prediction,
  labels,
  segmentSeconds,
  notes,
  takeFocus,
  onClose,
}: {
  path: string;
  file: File;
  prediction: FilePrediction;
  labels: string[];
  segmentSeconds: number;
  /** What the analysis did to the audio (resampling, downmix, long-file excerpts). */
  notes: string[];
  /** Move the keyboard focus to the details (when the user asked for them). */
  takeFocus: boolean;
  onClose(): void;
}) {
  // Keyboard and screen-reader users land on the details they asked for.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocus) heading.current?.focus();
  }, [path, takeFocus]);
  return (
    <section className="card prediction" aria-label={`Prediction for ${path}`}>
      <div className="row prediction-head">
        <h3 ref={heading} tabIndex={-1}>
          {path}
        </h3>
        <button type="button" onClick={onClose} aria-label="Close the details">
          Close
        </button>
      </div>
      <p className="prediction-genre">
        <strong>{prediction.label}</strong> with {formatPercent(prediction.confidence)} confidence
        {prediction.subLabel ? (
          <>
            {' '}
            — subgenre <strong>{prediction.subLabel}</strong> ({formatPercent(prediction.subConfidence ?? 0)})
          </>
        ) : null}
      </p>
      {notes.length > 0 && <p className="muted">Analysis: {notes.join('; ')}.</p>}
      <AudioPreview file={file} name={path} />
      <div className="grid-2">
        <ProbabilityChart prediction={prediction} labels={labels} />
        <Timeline prediction={prediction} labels={labels} segmentSeconds={segmentSeconds} />
      </div>
    </section>
  );
}
