/** Runs at most `concurrency` of the functions handed to it at once; the rest wait in order. */
export function createLimiter(concurrency: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T,>(work: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await work();
    } finally {
      next();
    }
  };
}
