import { z } from 'zod';

/** A date, or a month when the research only gives one. */
const verifiedOn = z
  .string({ error: 'missing: every contact needs the date it was last checked' })
  .regex(/^\d{4}-\d{2}(-\d{2})?$/, { error: 'expected YYYY-MM or YYYY-MM-DD' });

/**
 * A way to reach a service. A wrong number is a safety failure, so every entry carries where
 * it was found and when it was last checked, and the bot shows the latter.
 */
export const contactSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    name: z.record(z.string(), z.string().min(1)),
    kind: z.enum(['phone', 'whatsapp', 'website', 'email']),
    value: z.string().min(3),
    /** Where this applies, e.g. "inside Indonesia, toll-free". */
    note: z.record(z.string(), z.string()).optional(),
    source: z.string({ error: 'missing: every contact needs a source' }).min(3),
    verifiedOn,
  })
  .strict();

export type Contact = z.infer<typeof contactSchema>;
