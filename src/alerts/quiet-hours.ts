import { z } from 'zod';

/**
 * Local times, "HH:MM" on a 24-hour clock, between which no alert is sent to a person; a
 * broadcast waits for the end instead of being dropped. `start` after `end` spans midnight
 * (21:00-07:00); `start` is quiet, `end` is not.
 */
export interface QuietHours {
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '07:00' };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const quietHoursSchema = z
  .object({
    start: z.string().regex(TIME, { error: 'start is a 24-hour time HH:MM, like 21:00' }),
    end: z.string().regex(TIME, { error: 'end is a 24-hour time HH:MM, like 07:00' }),
  })
  .strict()
  .refine((quiet) => quiet.start !== quiet.end, {
    error: 'start and end must differ: the same time would mean no quiet hours, or never sending',
    path: ['end'],
  });

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Is `nowMs` inside the quiet hours of a person in `timeZone` (an IANA name)? An unknown zone
 * throws Intl's RangeError, as does a time that is not "HH:MM".
 */
export function isQuiet(nowMs: number, timeZone: string, quiet: QuietHours): boolean {
  return inWindow(minuteOfDay(wallClock(nowMs, timeZone)), minutesOf(quiet.start), minutesOf(quiet.end));
}

/**
 * The earliest moment (epoch ms) at or after `nowMs` outside quiet hours in `timeZone`;
 * `nowMs` itself when it is not quiet. That is the instant the local clock shows `end`,
 * on the day it next does, or, when a daylight-saving change skips over `end` or moves the
 * clock back out of the window, the instant of that change.
 */
export function nextSendableAt(nowMs: number, timeZone: string, quiet: QuietHours): number {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  let from = nowMs;
  // Each pass either finds the end under one UTC offset or moves to the next offset change,
  // so it ends after a pass or two; the bound only guards against a zone that misbehaves.
  for (let pass = 0; pass < 8; pass++) {
    const wall = wallClock(from, timeZone);
    const minute = minuteOfDay(wall);
    if (!inWindow(minute, start, end)) return from;
    const offset = wall - secondOf(from);
    const midnight = Math.floor(wall / DAY) * DAY;
    // A window that spans midnight, entered in its evening part, ends on the next day.
    const endWall = midnight + end * MINUTE + (start > end && minute >= start ? DAY : 0);
    const candidate = endWall - offset;
    if (offsetAt(candidate, timeZone) === offset) return candidate;
    from = nextOffsetChange(from, candidate, offset, timeZone);
  }
  throw new Error(`quiet hours in ${timeZone}: no end found after ${new Date(nowMs).toISOString()}`);
}

/** Minutes since midnight of "HH:MM". */
function minutesOf(time: string): number {
  if (!TIME.test(time)) throw new RangeError(`quiet hours: "${time}" is not a 24-hour time HH:MM`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function minuteOfDay(wall: number): number {
  return Math.floor((wall - Math.floor(wall / DAY) * DAY) / MINUTE);
}

function inWindow(minute: number, start: number, end: number): boolean {
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** `ms` floored to its second: offsets are whole seconds, so wall clock minus this is exact. */
function secondOf(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function offsetAt(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - secondOf(ms);
}

/** The first whole second in (from, to] whose UTC offset is not `offset`; `to` has another offset. */
function nextOffsetChange(from: number, to: number, offset: number, timeZone: string): number {
  let before = secondOf(from);
  let after = to;
  while (after - before > 1000) {
    const middle = secondOf(before + (after - before) / 2);
    if (offsetAt(middle, timeZone) === offset) before = middle;
    else after = middle;
  }
  return after;
}

/** Formatting is the costly part of Intl; one formatter per zone serves every recipient there. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local date and time in `timeZone` at `ms`, to the second, written as if it were UTC
 * (Date.UTC of the local fields), so that subtracting `ms` gives the zone's UTC offset.
 */
function wallClock(ms: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const field: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter.formatToParts(ms)) {
    if (part.type !== 'literal') field[part.type] = Number(part.value);
  }
  return Date.UTC(field.year!, field.month! - 1, field.day!, field.hour!, field.minute!, field.second!);
}
