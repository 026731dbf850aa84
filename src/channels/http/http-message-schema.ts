import { z } from 'zod';

/** The largest part of a Redis stream id (an unsigned 64-bit number). */
const MAX_STREAM_PART = 2n ** 64n - 1n;

/** The HTTP channel's inbound message, as partner systems (SMS gateways, apps) send it. */
export const httpMessageSchema = z
  .object({
    /** Who writes (a partner's id for the person); left out by a client starting a new conversation. */
    from: z
      .string()
      .trim()
      .min(1, { error: 'from: must not be empty' })
      .max(128, { error: 'from: at most 128 characters' })
      // Braces would change which Redis keys are the conversation's own (its {hashtag}).
      .regex(/^[^{}]+$/, { error: 'from: must not contain { or }' })
      .optional(),
    id: z.string().trim().min(1, { error: 'id: must not be empty' }).max(200, { error: 'id: at most 200 characters' }),
    text: z.string().max(4096, { error: 'text: at most 4096 characters' }).optional(),
    choice: z.string().min(1).max(200, { error: 'choice: at most 200 characters' }).optional(),
    location: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((message) => message.text !== undefined || message.choice !== undefined || message.location !== undefined, {
    error: 'give text, choice or location',
  });

export type HttpMessage = z.infer<typeof httpMessageSchema>;

export const repliesQuerySchema = z.object({
  after: z
    .string()
    .regex(/^(0|\d+-\d+)$/, { error: 'after: expected a cursor from an earlier answer, or 0' })
    // Both parts of a stream id are 64-bit: a larger number is no cursor Pelita gave out.
    // (Checked on its own: zod runs this refinement even when the pattern above failed.)
    .refine((cursor) => cursor.split('-').every((part) => /^\d{1,20}$/.test(part) && BigInt(part) <= MAX_STREAM_PART), {
      error: 'after: expected a cursor from an earlier answer, or 0',
    })
    .default('0'),
  wait: z.coerce.number().int().min(0).max(30_000, { error: 'wait: at most 30000 ms' }).default(0),
});

/** Zod's issues as one readable sentence for a 400 answer. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.');
      return issue.message.startsWith(`${field}:`) || !field ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}
