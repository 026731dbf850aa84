import { z } from 'zod';
import { target } from './flow-schema.ts';

/**
 * Global triggers (flows/triggers.yaml): words and intents that start a flow from
 * anywhere. `interrupts` lets a trigger cut into an open question; `always` triggers
 * (emergencies) are checked before anything else in every state.
 */
export const triggerSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** The intent (from the NLU classifier) that fires this trigger as well as the keywords. */
    intent: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    /** Per language: the whole message (normalised) equals one of these. */
    keywords: z.record(z.string(), z.array(z.string().min(1))).optional(),
    /** Per language: one of these phrases appears anywhere in the message, as whole words. */
    phrases: z.record(z.string(), z.array(z.string().min(1))).optional(),
    goto: target,
    interrupts: z.union([z.boolean(), z.literal('menus')]).default(false),
    always: z.boolean().default(false),
    /**
     * The trigger opens a topic's menu ("jalur resmi" -> the legal-route menu): a typed
     * question the answer bank is sure of is answered instead. Without it, the trigger's
     * phrases win over the bank (a flow that answers, such as the numbers for where one is).
     */
    topic: z.boolean().default(false),
  })
  .strict()
  .refine((trigger) => trigger.keywords || trigger.phrases || trigger.intent, { error: 'a trigger needs keywords, phrases or an intent' });

export const triggersFileSchema = z.object({ triggers: z.array(triggerSchema) }).strict();

export type Trigger = z.infer<typeof triggerSchema>;
