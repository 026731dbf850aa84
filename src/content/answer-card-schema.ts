import { z } from 'zod';
import { SECTORS, STAGES } from '../core/messages/inbound.ts';
import { SERVICE_TYPES } from './contact-schema.ts';

/** The languages every card is written in; a card missing one is a content error. */
export const CARD_LANGUAGES = ['id', 'en'] as const;

/** What a small phone shows without scrolling far: the answer text, before its contacts. */
export const MAX_ANSWER_CHARS = 600;

const inBothLanguages = z.object({ id: z.string().min(1), en: z.string().min(1) }).strict();

export const TOPICS = [
  'documents',
  'legal_route',
  'recruiters',
  'costs',
  'destination',
  'age',
  'warning_signs',
  'scams',
  'trafficking',
  'wages',
  'complaints',
  'detention',
  'going_home',
  'sea_work',
  'middle_east',
  'insurance',
  'reintegration',
  'money_home',
  'family',
  'mental_health',
] as const;

/**
 * When a variant of an answer applies, read from the person's remembered situation. Every
 * key given must match; `destination` matches where they are abroad or where they plan to go.
 */
export const cardConditionSchema = z
  .object({
    where: z.enum(['abroad', 'indonesia', 'at_sea']).optional(),
    destination: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .optional(),
    stage: z.array(z.enum(STAGES)).min(1).optional(),
    sector: z.array(z.enum(SECTORS)).min(1).optional(),
  })
  .strict();
export type CardCondition = z.infer<typeof cardConditionSchema>;

/**
 * A contact shown under an answer: one entry of content/contacts.yaml or services.yaml by
 * id, or `nearby` types, found where the person is (their country's contacts abroad, their
 * district's and province's offices at home). Numbers never live in a card.
 */
export const cardContactSchema = z.union([
  z.string().regex(/^[a-z0-9_]+$/),
  z.object({ nearby: z.array(z.enum(SERVICE_TYPES)).min(1) }).strict(),
]);
export type CardContact = z.infer<typeof cardContactSchema>;

const followUpSchema = z.union([
  z.object({ card: z.string(), label: inBothLanguages }).strict(),
  z.object({ flow: z.string().regex(/^[a-z_]+:[a-z_]+$/), label: inBothLanguages }).strict(),
]);
export type FollowUp = z.infer<typeof followUpSchema>;

export const answerCardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, { error: 'ids are lower-case words joined by "-"' }),
    topic: z.enum(TOPICS),
    /** A short name for a "Did you mean ...?" button (at most 24 characters: WhatsApp's list rows). */
    title: z
      .object({ id: z.string().min(1).max(24), en: z.string().min(1).max(24) })
      .strict()
      .optional(),
    /** How people ask it: the retrieval index is built from these. */
    questions: z.object({ id: z.array(z.coerce.string().min(3)).min(3), en: z.array(z.coerce.string().min(3)).min(3) }).strict(),
    answer: inBothLanguages,
    /** The first variant whose condition matches replaces the answer (and its contacts, if it lists any). */
    variants: z
      .array(z.object({ when: cardConditionSchema, answer: inBothLanguages, contacts: z.array(cardContactSchema).optional() }).strict())
      .optional(),
    contacts: z.array(cardContactSchema).optional(),
    follow_up: z.array(followUpSchema).max(3).optional(),
    sources: z.array(z.string().min(8)).min(1, { error: 'missing: every card names its sources' }),
    verifiedOn: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, { error: 'expected YYYY-MM or YYYY-MM-DD' }),
  })
  .strict();
export type AnswerCard = z.infer<typeof answerCardSchema>;

export const answerFileSchema = z.object({ cards: z.array(answerCardSchema).min(1) }).strict();
