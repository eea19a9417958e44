/** Seconds left, from the work done so far and the time it took (null until there is something to go on). */
export function etaSeconds(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= done || elapsedMs <= 0) return total <= done && total > 0 ? 0 : null;
  return ((elapsedMs / done) * (total - done)) / 1000;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 1) return 'less than a second left';
  if (seconds < 60) return `about ${Math.round(seconds)} s left`;
  const minutes = Math.floor(seconds / 60);
  return `about ${minutes} min ${Math.round(seconds % 60)} s left`;
}
