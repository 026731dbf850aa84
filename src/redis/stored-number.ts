import { z } from 'zod';

const storedNumber = z.coerce.number().int().nonnegative().finite();

/**
 * A counter, offset or time stamp read back from Redis, or `fallback` when there is none or
 * it does not read back as one: NaN must not reach a platform call or a comparison.
 */
export function storedNumberOr(raw: string | null | undefined, fallback: number): number {
  if (raw === null || raw === undefined) return fallback;
  const parsed = storedNumber.safeParse(raw);
  return parsed.success ? parsed.data : fallback;
}
