import { z } from 'zod';
import { CHANNELS } from './channel.ts';

/** `danger`: harm now; `suicidal`: answered with care first; `unclear`: a bare "help" to ask about. */
export const EMERGENCY_KINDS = ['danger', 'suicidal', 'unclear'] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

/** A person's stage and sector, as Pelita records them (see engine/situation.ts). */
export const STAGES = ['planning', 'abroad', 'returned'] as const;
export const SECTORS = ['domestic', 'care', 'factory', 'plantation', 'construction', 'fishing', 'online_scam'] as const;
export type Stage = (typeof STAGES)[number];
export type Sector = (typeof SECTORS)[number];

const placeCue = z.object({ kind: z.enum(['country', 'province', 'district']), code: z.string() }).strict();

/** What one message says of the writer's situation (see nlu/situation-cues.ts). */
const situationCuesSchema = z
  .object({
    here: placeCue.optional(),
    origin: placeCue.optional(),
    mentioned: z.string().optional(),
    destination: z.string().optional(),
    atSea: z.boolean().optional(),
    stage: z.enum(STAGES).optional(),
    sector: z.enum(SECTORS).optional(),
    aboutOther: z.boolean().optional(),
    ownPlace: z.boolean().optional(),
    placeOnly: z.boolean().optional(),
  })
  .strict();

/**
 * One message from a person, as every channel hands it to the pipeline. Channels only
 * translate platform updates into this shape; nothing above the channel line knows where
 * a message came from.
 */
export const inboundSchema = z.object({
  channel: z.enum(CHANNELS),
  conversationId: z.string().min(1),
  /** The platform's own message id: the dedupe key within a conversation. */
  messageId: z.string().min(1).max(200),
  text: z.string().max(16_384).optional(),
  /** The id of a pressed button or chosen menu item. */
  choice: z.string().max(200).optional(),
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  /** A phone number the person shared on purpose (Telegram's contact button); no flow keeps it yet. */
  contact: z.object({ phone: z.string().max(32) }).optional(),
  /** Where the person came from: a deep link's payload ("poster_mataram"), for an NGO's statistics. */
  source: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  /** A language the channel already knows (e.g. `pelita chat --lang en`); the session's wins. */
  languageHint: z.string().min(2).max(8).optional(),
  receivedAt: z.string(),
  /** Over the sender's limit: answered only with a request to slow down (and the hotlines). */
  limited: z.boolean().optional(),
  /** What the NLU understood; added by the worker before the engine runs, never by a channel. */
  nlu: z
    .object({
      language: z.string(),
      languageConfidence: z.number(),
      intent: z.string(),
      confidence: z.number(),
      emergency: z.boolean(),
      emergencyByRule: z.boolean(),
      /** What kind of danger: harm now, suicidal words (answered with care first), or a bare cry to ask about. */
      emergencyKind: z.enum(EMERGENCY_KINDS).optional(),
      /** Asked about rather than called danger: what the message asks for if the person is safe. */
      intentIfSafe: z.object({ intent: z.string(), confidence: z.number() }).strict().optional(),
      entities: z
        .object({
          country: z.string().optional(),
          province: z.string().optional(),
          district: z.string().optional(),
          agency: z.string().optional(),
          situation: situationCuesSchema.optional(),
        })
        .strict()
        .optional(),
      /** The answer-bank cards the message may be asking for, best first, with how alike it is (0-1). */
      answers: z
        .array(z.object({ card: z.string(), confidence: z.number() }).strict())
        .max(5)
        .optional(),
    })
    .strict()
    .optional(),
});

export type Inbound = z.infer<typeof inboundSchema>;
