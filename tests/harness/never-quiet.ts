import type { QuietHours } from '../../src/alerts/quiet-hours.ts';

/**
 * Quiet hours that never apply while a test runs: one minute, twelve hours from now on the
 * UTC clock, which is at least half a day from now on any Indonesian clock (UTC+7 to +9). A
 * broadcast left on the default 21:00-07:00 waits for morning whenever the suite runs in an
 * Indonesian evening, and a test of sending then fails by the time of day.
 */
export function neverQuiet(): QuietHours {
  const at = new Date(Date.now() + 12 * 3600_000);
  const hhmm = (date: Date) => `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return { start: hhmm(at), end: hhmm(new Date(at.getTime() + 60_000)) };
}
