/**
 * A platform said "too many requests, try again in `retryAfterMs`" (HTTP 429 with
 * Retry-After, Telegram's retry_after, WhatsApp's 130429). Senders throw it; the paced
 * sender pauses the whole channel for that long and sends again: nothing is dropped.
 */
export class RetryAfterError extends Error {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited: retry after ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RetryAfterError';
  }
}

/** Reads a Retry-After header (seconds or an HTTP date); `fallbackMs` when absent or unreadable. */
export function retryAfterMs(header: string | null, fallbackMs = 1000, now = Date.now()): number {
  if (header === null || header.trim() === '') return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - now);
}
