/** A storage failure with a message meant for the user (what went wrong and what to do). */
export class StoreError extends Error {
  constructor(
    message: string,
    /** 'quota' = the browser refused to store more; 'not-found'; 'invalid' = bad input; 'failed' = anything else. */
    readonly reason: 'quota' | 'not-found' | 'invalid' | 'failed' = 'failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** Browsers name a full disk/quota 'QuotaExceededError' (older Firefox: NS_ERROR_DOM_QUOTA_REACHED). */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
