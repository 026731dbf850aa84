import { z } from 'zod';
import { ALERT_TOPICS } from '../core/messages/alert-topics.ts';
import { CHANNELS } from '../core/messages/channel.ts';
import type { ContactBook } from './contact-book.ts';

/**
 * Who a broadcast is for. Each field left out means "anyone"; within a field any value
 * matches ("MY or TW"); fields together must all match. Provinces and districts are one
 * condition: in any of the provinces, or in any of the districts. Only people who opted
 * in are ever found.
 */
export const targetSchema = z
  .object({
    topics: z.array(z.enum(ALERT_TOPICS)).min(1).optional(),
    provinces: z
      .array(z.string().regex(/^\d{2}$/, { error: 'provinces are Kemendagri codes like "52"' }))
      .min(1)
      .optional(),
    districts: z
      .array(z.string().regex(/^\d{2}\.\d{2}$/, { error: 'districts are Kemendagri codes like "52.03"' }))
      .min(1)
      .optional(),
    destinations: z
      .array(z.string().regex(/^[A-Z]{2}$/, { error: 'destinations are ISO country codes like "MY"' }))
      .min(1)
      .optional(),
    languages: z.array(z.string().min(2).max(8)).min(1).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
    /** Deep-link sources ("poster_mataram"). */
    sources: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
      .min(1)
      .optional(),
    /** Only people who wrote to Pelita on or after this day (YYYY-MM-DD). */
    activeSince: z.iso.date().optional(),
  })
  .strict();
export type Target = z.infer<typeof targetSchema>;

/**
 * The contact numbers a target finds, in ascending order: opted-in people in every
 * segment it names. Bitmaps are combined here rather than with BITOP, which would need a
 * scratch key; for 100,000 contacts each is 12.5 KB. `activeSince` needs the records and
 * is applied where they are read (see matchesActivity).
 */
export async function findAudience(book: ContactBook, target: Target): Promise<number[]> {
  let found = await book.bitmap('opted-in');
  const anyOf = async (prefix: string, values: readonly string[] | undefined) => {
    if (!values) return;
    found = and(found, or(await Promise.all(values.map((value) => book.bitmap(`${prefix}:${value}`)))));
  };
  await anyOf('topic', target.topics);
  await anyOf('language', target.languages);
  await anyOf('channel', target.channels);
  await anyOf('destination', target.destinations);
  let numbers = numbersIn(found);
  if (target.provinces || target.districts) {
    const inProvince = numbersIn(or(await Promise.all((target.provinces ?? []).map((code) => book.bitmap(`province:${code}`)))));
    const inDistrict = (await Promise.all((target.districts ?? []).map((code) => book.members(`district:${code}`)))).flat();
    const here = new Set([...inProvince, ...inDistrict]);
    numbers = numbers.filter((number) => here.has(number));
  }
  if (target.sources) {
    const from = new Set((await Promise.all(target.sources.map((source) => book.members(`source:${source}`)))).flat());
    numbers = numbers.filter((number) => from.has(number));
  }
  return numbers;
}

/** Whether a contact last wrote on or after the target's day (a target without one takes everyone). */
export function matchesActivity(target: Target, lastActiveDay: string | undefined): boolean {
  if (!target.activeSince) return true;
  return lastActiveDay !== undefined && lastActiveDay >= target.activeSince;
}

function or(bitmaps: readonly Buffer[]): Buffer {
  const length = Math.max(0, ...bitmaps.map((bitmap) => bitmap.length));
  const result = Buffer.alloc(length);
  for (const bitmap of bitmaps) for (let i = 0; i < bitmap.length; i++) result[i] = (result[i] as number) | (bitmap[i] as number);
  return result;
}

function and(a: Buffer, b: Buffer): Buffer {
  const result = Buffer.alloc(Math.min(a.length, b.length));
  for (let i = 0; i < result.length; i++) result[i] = (a[i] as number) & (b[i] as number);
  return result;
}

/** The numbers whose bits are set: Redis counts bit 0 as the highest bit of the first byte. */
export function numbersIn(bitmap: Buffer): number[] {
  const numbers: number[] = [];
  for (let byte = 0; byte < bitmap.length; byte++) {
    const bits = bitmap[byte] as number;
    if (bits === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (bits & (0x80 >> bit)) numbers.push(byte * 8 + bit);
  }
  return numbers;
}
