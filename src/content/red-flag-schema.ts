import { z } from 'zod';
import { regexSource } from '../core/text/regex-source.ts';

/**
 * A warning sign of a fake or dangerous job offer. It fires when one of `patterns` matches
 * and, when `with` is given, one of those too (e.g. "admin online" *and* Cambodia).
 */
export const redFlagSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    weight: z.number().int().min(1).max(10),
    /** The locale key that explains the sign to the person. */
    explanation: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/),
    patterns: z.array(regexSource).min(1),
    with: z.array(regexSource).min(1).optional(),
    source: z.string().min(3),
    /**
     * The job as offered is against the law whoever recruits (a banned placement, no
     * passport, a child): the advice is to report it, never to check the agency's licence.
     */
    illegal: z.boolean().optional(),
  })
  .strict();

export const redFlagsFileSchema = z
  .object({
    /** A score at or above `high` is high risk; at or above `medium`, medium. */
    thresholds: z.object({ medium: z.number().int().min(1), high: z.number().int().min(1) }).strict(),
    flags: z.array(redFlagSchema).min(1),
  })
  .strict()
  .refine((file) => file.thresholds.high > file.thresholds.medium, { error: 'thresholds.high must be above thresholds.medium' });

export type RedFlag = z.infer<typeof redFlagSchema>;
export type RedFlagsFile = z.infer<typeof redFlagsFileSchema>;
