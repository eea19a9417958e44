export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

export function formatRate(hz: number | null | undefined): string {
  return hz ? `${hz} Hz` : '—';
}

export function formatPercent(p: number): string {
  return `${(100 * p).toFixed(1)}%`;
}
