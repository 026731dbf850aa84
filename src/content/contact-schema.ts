import { z } from 'zod';

/** A date, or a month when the research only gives one. */
const verifiedOn = z
  .string({ error: 'missing: every contact needs the date it was last checked' })
  .regex(/^\d{4}-\d{2}(-\d{2})?$/, { error: 'expected YYYY-MM or YYYY-MM-DD' });

export const SERVICE_TYPES = [
  'hotline',
  'manpower_office',
  'one_stop_centre',
  'kp2mi_office',
  'mission',
  'ngo',
  'legal_aid',
  'health',
  'women_children',
  'police',
  'portal',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/**
 * An entry of the directory: a hotline, a website, or an office. A wrong number is a
 * safety failure, so every entry carries where it was found and when it was last checked,
 * and the bot shows the latter. An office whose number could not be confirmed is listed
 * without one (`value` left out): people are pointed to the national channels instead.
 */
export const contactSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    name: z.record(z.string(), z.string().min(1)),
    type: z.enum(SERVICE_TYPES),
    kind: z.enum(['phone', 'whatsapp', 'website', 'email', 'office']),
    value: z.string().min(3).optional(),
    /** Where this applies, e.g. "inside Indonesia, toll-free". */
    note: z.record(z.string(), z.string()).optional(),
    /** Where it serves: a country (ISO code), and in Indonesia a province and district code. */
    area: z
      .object({
        country: z.string().regex(/^[A-Z]{2}$/),
        province: z
          .string()
          .regex(/^\d{2}$/)
          .optional(),
        district: z
          .string()
          .regex(/^\d{2}\.\d{2}$/)
          .optional(),
      })
      .strict()
      .optional(),
    /** Approximate position, for "nearest to a shared location". */
    coordinates: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .strict()
      .optional(),
    source: z.string({ error: 'missing: every contact needs a source' }).min(3),
    /**
     * The date of the newest source that gives this value (YYYY, YYYY-MM or YYYY-MM-DD).
     * A number checked recently against an old source may still be out of date: past the
     * configured age the bot says so next to it, and `pelita content stale` lists it.
     */
    sourceDate: z
      .string()
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: 'expected YYYY, YYYY-MM or YYYY-MM-DD' })
      .optional(),
    verifiedOn,
  })
  .strict()
  .refine((entry) => entry.kind === 'office' || entry.value !== undefined, {
    error: 'value: a phone, WhatsApp, website or email entry needs its value',
    path: ['value'],
  });

export type Contact = z.infer<typeof contactSchema>;
