import { describe, expect, it } from 'vitest';
import { DEFAULT_QUIET_HOURS, isQuiet, nextSendableAt, type QuietHours, quietHoursSchema } from '../src/alerts/quiet-hours.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const MINUTE = 60_000;

describe('quiet hours in Indonesia, by WIB, WITA and WIT', () => {
  // 14:30 UTC is 21:30 WIB, 22:30 WITA, 23:30 WIT: quiet in all three.
  const now = at('2026-12-02T14:30:00Z');

  it('waits for 07:00 in Jakarta (WIB, UTC+7)', () => {
    expect(isQuiet(now, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(true);
    expect(iso(nextSendableAt(now, 'Asia/Jakarta', DEFAULT_QUIET_HOURS))).toBe('2026-12-03T00:00:00.000Z');
  });

  it('waits for 07:00 in Makassar (WITA, UTC+8)', () => {
    expect(iso(nextSendableAt(now, 'Asia/Makassar', DEFAULT_QUIET_HOURS))).toBe('2026-12-02T23:00:00.000Z');
  });

  it('waits for 07:00 in Jayapura (WIT, UTC+9)', () => {
    expect(iso(nextSendableAt(now, 'Asia/Jayapura', DEFAULT_QUIET_HOURS))).toBe('2026-12-02T22:00:00.000Z');
  });

  it('after midnight, waits for 07:00 the same local day', () => {
    // 18:00 UTC is 01:00 WIB on 3 December.
    expect(iso(nextSendableAt(at('2026-12-02T18:00:00Z'), 'Asia/Jakarta', DEFAULT_QUIET_HOURS))).toBe('2026-12-03T00:00:00.000Z');
  });
});

describe('quiet hours abroad', () => {
  it('waits for 07:00 in Riyadh (UTC+3)', () => {
    // 20:15 UTC is 23:15 in Riyadh; 07:00 there is 04:00 UTC.
    const now = at('2026-12-02T20:15:00Z');
    expect(isQuiet(now, 'Asia/Riyadh', DEFAULT_QUIET_HOURS)).toBe(true);
    expect(iso(nextSendableAt(now, 'Asia/Riyadh', DEFAULT_QUIET_HOURS))).toBe('2026-12-03T04:00:00.000Z');
  });

  it('the same instant is quiet in one zone and not in another', () => {
    // 14:30 UTC: 21:30 in Jakarta, 17:30 in Riyadh.
    const now = at('2026-12-02T14:30:00Z');
    expect(isQuiet(now, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(true);
    expect(isQuiet(now, 'Asia/Riyadh', DEFAULT_QUIET_HOURS)).toBe(false);
  });
});

describe('the edges of the window', () => {
  it('outside quiet hours, now is the answer, to the millisecond', () => {
    const now = at('2026-12-02T05:12:34.567Z'); // 12:12:34 WIB
    expect(isQuiet(now, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(false);
    expect(nextSendableAt(now, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(now);
  });

  it('the start is quiet, the minute before it is not', () => {
    const start = at('2026-12-02T14:00:00Z'); // 21:00 WIB
    expect(isQuiet(start, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(true);
    expect(isQuiet(start - 1, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(false);
    expect(iso(nextSendableAt(start, 'Asia/Jakarta', DEFAULT_QUIET_HOURS))).toBe('2026-12-03T00:00:00.000Z');
  });

  it('the end is not quiet, the moment before it is', () => {
    const end = at('2026-12-03T00:00:00Z'); // 07:00 WIB
    expect(isQuiet(end, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(false);
    expect(nextSendableAt(end, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(end);
    expect(isQuiet(end - 1, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(true);
    expect(nextSendableAt(end - 1, 'Asia/Jakarta', DEFAULT_QUIET_HOURS)).toBe(end);
  });

  it('a window that does not span midnight (12:00-13:00)', () => {
    const lunch: QuietHours = { start: '12:00', end: '13:00' };
    expect(isQuiet(at('2026-12-02T04:59:00Z'), 'Asia/Jakarta', lunch)).toBe(false); // 11:59
    expect(isQuiet(at('2026-12-02T05:00:00Z'), 'Asia/Jakarta', lunch)).toBe(true); // 12:00
    expect(iso(nextSendableAt(at('2026-12-02T05:20:00Z'), 'Asia/Jakarta', lunch))).toBe('2026-12-02T06:00:00.000Z');
    expect(isQuiet(at('2026-12-02T06:00:00Z'), 'Asia/Jakarta', lunch)).toBe(false); // 13:00
    expect(isQuiet(at('2026-12-02T14:30:00Z'), 'Asia/Jakarta', lunch)).toBe(false); // 21:30
  });

  it('a window that ends at midnight', () => {
    const evening: QuietHours = { start: '22:00', end: '00:00' };
    expect(iso(nextSendableAt(at('2026-12-02T15:30:00Z'), 'Asia/Jakarta', evening))).toBe('2026-12-02T17:00:00.000Z');
  });
});

describe('daylight saving time (Europe/Warsaw: CET, UTC+1, and CEST, UTC+2)', () => {
  const zone = 'Europe/Warsaw';

  it('the night the clocks go forward (29 March 2026, 02:00 CET to 03:00 CEST), 07:00 is CEST', () => {
    const now = at('2026-03-28T22:00:00Z'); // 23:00 CET
    expect(isQuiet(now, zone, DEFAULT_QUIET_HOURS)).toBe(true);
    expect(iso(nextSendableAt(now, zone, DEFAULT_QUIET_HOURS))).toBe('2026-03-29T05:00:00.000Z');
  });

  it('the night the clocks go back (25 October 2026, 03:00 CEST to 02:00 CET), 07:00 is CET', () => {
    const now = at('2026-10-24T20:00:00Z'); // 22:00 CEST
    expect(isQuiet(now, zone, DEFAULT_QUIET_HOURS)).toBe(true);
    expect(iso(nextSendableAt(now, zone, DEFAULT_QUIET_HOURS))).toBe('2026-10-25T06:00:00.000Z');
  });

  it('an end the clocks skip over (02:30 on 29 March) is reached when they jump', () => {
    const quiet: QuietHours = { start: '01:30', end: '02:30' };
    const now = at('2026-03-29T00:45:00Z'); // 01:45 CET
    expect(isQuiet(now, zone, quiet)).toBe(true);
    // At 01:00 UTC the clock reads 03:00 CEST.
    expect(iso(nextSendableAt(now, zone, quiet))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('an end the clocks show twice (02:30 on 25 October) is its first showing', () => {
    const quiet: QuietHours = { start: '01:00', end: '02:30' };
    const now = at('2026-10-24T23:30:00Z'); // 01:30 CEST
    expect(iso(nextSendableAt(now, zone, quiet))).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
  });

  it('clocks going back out of the window (03:00 CEST to 02:00 CET, window 02:30-04:00) end it at the change', () => {
    const quiet: QuietHours = { start: '02:30', end: '04:00' };
    const now = at('2026-10-25T00:45:00Z'); // 02:45 CEST
    expect(isQuiet(now, zone, quiet)).toBe(true);
    expect(iso(nextSendableAt(now, zone, quiet))).toBe('2026-10-25T01:00:00.000Z'); // 02:00 CET
  });
});

describe('the quiet hours schema', () => {
  it('accepts the default and 24-hour times', () => {
    expect(quietHoursSchema.parse(DEFAULT_QUIET_HOURS)).toEqual(DEFAULT_QUIET_HOURS);
    expect(quietHoursSchema.safeParse({ start: '00:00', end: '23:59' }).success).toBe(true);
  });

  it.each([
    [{ start: '9:00', end: '07:00' }, 'start', /HH:MM/],
    [{ start: '24:00', end: '07:00' }, 'start', /HH:MM/],
    [{ start: '21:00', end: '07:60' }, 'end', /HH:MM/],
    [{ start: '21:00', end: '7pm' }, 'end', /HH:MM/],
    [{ start: '21:00', end: '21:00' }, 'end', /must differ/],
  ])('rejects %j with an error on %s', (value, field, message) => {
    const result = quietHoursSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('rejects fields it does not know', () => {
    expect(quietHoursSchema.safeParse({ ...DEFAULT_QUIET_HOURS, days: 'weekdays' }).success).toBe(false);
  });
});

describe('properties over many instants, zones and windows', () => {
  const ZONES = [
    'Asia/Jakarta',
    'Asia/Makassar',
    'Asia/Jayapura',
    'Asia/Riyadh',
    'Asia/Kuala_Lumpur',
    'Asia/Hong_Kong',
    'Europe/Warsaw',
    'Europe/London',
    'America/New_York',
    'Australia/Sydney',
    'Australia/Lord_Howe', // a half-hour daylight-saving change
    'Pacific/Chatham', // UTC+12:45 and +13:45
    'Asia/Kathmandu', // UTC+5:45
    'America/St_Johns', // UTC-3:30, with daylight saving
  ];
  const WINDOWS: QuietHours[] = [
    DEFAULT_QUIET_HOURS,
    { start: '12:00', end: '13:00' },
    { start: '22:30', end: '05:45' },
    { start: '01:30', end: '02:30' }, // around most daylight-saving changes
    { start: '02:30', end: '04:00' },
    { start: '00:00', end: '23:59' },
    { start: '23:59', end: '00:00' },
  ];
  // Days with a daylight-saving change in one of the zones above, in 2026.
  const CHANGE_DAYS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01'].map(at);

  /** A small seeded generator (mulberry32), so a failure can be reproduced. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** The answer found the slow way: every minute boundary from now on, until one is not quiet. */
  function byWalking(now: number, zone: string, quiet: QuietHours): number {
    if (!isQuiet(now, zone, quiet)) return now;
    for (let minute = Math.floor(now / MINUTE) * MINUTE + MINUTE; ; minute += MINUTE) {
      if (!isQuiet(minute, zone, quiet)) return minute;
    }
  }

  it('the answer is never before now, never quiet, and the first minute that is not quiet', () => {
    const next = random(20261202);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    for (let sample = 0; sample < 400; sample++) {
      const now =
        sample % 2 === 0
          ? at('2025-01-01T00:00:00Z') + Math.floor(next() * 6 * 365 * 24 * 60 * MINUTE)
          : pick(CHANGE_DAYS) + Math.floor((next() - 0.5) * 72 * 60 * MINUTE) + Math.floor(next() * 1000);
      const zone = pick(ZONES);
      const quiet = pick(WINDOWS);
      const result = nextSendableAt(now, zone, quiet);
      const context = `${iso(now)} in ${zone}, ${quiet.start}-${quiet.end}: ${iso(result)}`;
      expect(result, context).toBeGreaterThanOrEqual(now);
      expect(isQuiet(result, zone, quiet), context).toBe(false);
      if (result !== now) expect(result % MINUTE, context).toBe(0);
      expect(result, context).toBe(byWalking(now, zone, quiet));
    }
  });
});
