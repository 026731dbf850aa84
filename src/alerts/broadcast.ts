import { z } from 'zod';
import { targetSchema } from './audience.ts';
import { DEFAULT_QUIET_HOURS, quietHoursSchema } from './quiet-hours.ts';

/** Meta's limit on one template body parameter. */
export const TEMPLATE_PARAMETER_MAX_CHARS = 1024;
/** Telegram's limit on a message; WhatsApp's is larger. An alert must fit in one message. */
export const ALERT_MAX_CHARS = 4096;

const perLanguage = z.record(
  z.string().regex(/^[a-z]{2}$/, { error: 'languages are two-letter codes like "id"' }),
  z.string().trim().min(1),
);

/**
 * A broadcast as an NGO writes it (a YAML or JSON file, or the admin API's body). Creating
 * the same id twice is harmless; a different definition under a used id is refused.
 */
export const broadcastDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, { error: 'ids are 3-64 of a-z, 0-9 and "-", like "scam-cambodia-2026-12"' }),
    /** For staff only: what the broadcast is about. */
    title: z.string().trim().max(200).optional(),
    /** The text in each language. Every language of the audience needs one, unless `fallback_language` names one to use instead. */
    text: perLanguage.refine((texts) => Object.values(texts).every((text) => text.length <= ALERT_MAX_CHARS), {
      error: `a text is longer than ${ALERT_MAX_CHARS} characters`,
    }),
    fallback_language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    /** Buttons under the text, each starting a flow ("check_offer"). */
    buttons: z
      .array(z.object({ flow: z.string().regex(/^[a-z][a-z0-9_]*$/), label: perLanguage }).strict())
      .max(3)
      .optional(),
    target: targetSchema.default({}),
    /** When to start (ISO 8601 with an offset: "2026-12-05T09:00:00+07:00"); now when left out. */
    send_at: z.iso.datetime({ offset: true }).optional(),
    /** After this, nothing more is sent; what is left is counted as expired. */
    expires_at: z.iso.datetime({ offset: true }).optional(),
    /** Local to each recipient; sends falling inside are deferred to the end, not dropped. */
    quiet_hours: quietHoursSchema.default(DEFAULT_QUIET_HOURS),
    /**
     * For WhatsApp Cloud contacts outside the 24-hour window: an approved template and its
     * body parameters. Without one, those contacts are skipped and counted.
     */
    whatsapp_template: z
      .object({
        name: z.string().regex(/^[a-z0-9_]{1,512}$/, { error: 'template names are lower case letters, digits and "_"' }),
        language: z.string().min(2).max(10),
        parameters: z
          .array(
            z.string().max(TEMPLATE_PARAMETER_MAX_CHARS, {
              error: `a template parameter is longer than ${TEMPLATE_PARAMETER_MAX_CHARS} characters`,
            }),
          )
          .max(20)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((definition, context) => {
    const languages = Object.keys(definition.text);
    if (definition.fallback_language && !languages.includes(definition.fallback_language)) {
      context.addIssue({ code: 'custom', path: ['fallback_language'], message: `no text in "${definition.fallback_language}"` });
    }
    for (const [index, button] of (definition.buttons ?? []).entries()) {
      for (const language of languages) {
        if (!button.label[language] && !(definition.fallback_language && button.label[definition.fallback_language])) {
          context.addIssue({ code: 'custom', path: ['buttons', index, 'label', language], message: `no label in "${language}"` });
        }
      }
    }
    if (definition.send_at && definition.expires_at && Date.parse(definition.expires_at) <= Date.parse(definition.send_at)) {
      context.addIssue({ code: 'custom', path: ['expires_at'], message: 'expires before it is sent' });
    }
  });
export type BroadcastDefinition = z.infer<typeof broadcastDefinitionSchema>;

/**
 * draft -> approved -> sending (or scheduled, until its send time) -> done; paused and back;
 * cancelled from any state before done.
 */
export const BROADCAST_STATES = ['draft', 'approved', 'scheduled', 'sending', 'paused', 'done', 'cancelled'] as const;
export type BroadcastState = (typeof BROADCAST_STATES)[number];

/** Why a recipient got nothing. */
export const SKIP_REASONS = ['stopped', 'unreachable', 'outside_window', 'no_text', 'expired', 'cancelled', 'interrupted'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** The text (and buttons) a recipient gets: their language, or the fallback; undefined when there is neither. */
export function textFor(
  definition: BroadcastDefinition,
  language: string,
): { text: string; buttons: { flow: string; label: string }[] } | undefined {
  const chosen = definition.text[language] !== undefined ? language : definition.fallback_language;
  if (chosen === undefined) return undefined;
  const text = definition.text[chosen] as string;
  const buttons = (definition.buttons ?? []).map((button) => ({
    flow: button.flow,
    label: button.label[chosen] ?? button.label[definition.fallback_language ?? ''] ?? button.flow,
  }));
  return { text, buttons };
}
