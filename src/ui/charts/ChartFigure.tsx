import { useId, type ReactNode } from 'react';
import './charts.css';

/**
 * The frame of every chart: a <figure> named by its title and described by its description, so assistive
 * technology announces what the chart shows before its contents.
 */
export function ChartFigure({
  title,
  description,
  children,
  controls,
}: {
  title: string;
  description: ReactNode;
  children: ReactNode;
  /** Optional controls (toggles, selects) shown between the title and the chart. */
  controls?: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="muzo-chart" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <figcaption>
        <span id={`${id}-title`} className="muzo-chart-title">
          {title}
        </span>
        <span id={`${id}-desc`} className="muzo-chart-desc">
          {description}
        </span>
      </figcaption>
      {controls && <div className="muzo-chart-controls">{controls}</div>}
      {children}
    </figure>
  );
}

/** Axis ticks and lines drawn in the text colour, so they follow the theme. */
export const AXIS_TICK = { fill: 'currentColor', fontSize: 12 } as const;

/** Tooltip box in the theme's colours (src/ui/styles.css), system colours where those are not defined. */
export const TOOLTIP_STYLE = {
  contentStyle: {
    background: 'var(--surface, Canvas)',
    color: 'var(--text, CanvasText)',
    border: '1px solid var(--border, GrayText)',
    borderRadius: 6,
    fontSize: 13,
  },
  itemStyle: { color: 'var(--text, CanvasText)' },
  labelStyle: { color: 'var(--text, CanvasText)', fontWeight: 600 },
} as const;

/** Width in px for a category axis whose ticks are these labels (12 px font), capped so the plot keeps its room. */
export function categoryAxisWidth(labels: readonly string[], max = 150): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return Math.min(max, Math.max(40, Math.round(longest * 7 + 12)));
}

export function formatPercent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}
