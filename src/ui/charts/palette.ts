/**
 * Categorical colours for classes, legible on light and dark backgrounds (Tableau 10, whose mid-lightness hues
 * keep contrast on both). Past ten classes, hues are spread around the wheel at the same lightness.
 */
const TABLEAU_10 = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function classColor(index: number): string {
  if (index < TABLEAU_10.length) return TABLEAU_10[index];
  const hue = Math.round((index * 137.508) % 360); // golden angle: successive hues stay far apart
  return `hsl(${hue} 60% 55%)`;
}

/** Series colours for metric bars and curves (not classes). */
export const SERIES_COLORS = {
  precision: '#4e79a7',
  recall: '#f28e2b',
  f1: '#59a14f',
  train: '#4e79a7',
  validation: '#e15759',
} as const;
