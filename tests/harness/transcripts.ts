import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const turnSchema = z
  .object({
    /** What the person types; or `location` for a shared location instead. */
    user: z.coerce.string().min(1).optional(),
    location: z.object({ lat: z.number(), lon: z.number() }).strict().optional(),
    /** Fragments that must all appear in the turn's replies (case-insensitive). */
    bot: z.array(z.coerce.string()).min(1),
    /** Fragments that must not appear in the turn's replies (case-insensitive): a wrong number, a false promise. */
    not: z.array(z.coerce.string()).optional(),
    /** The choice ids of the turn's last menu. */
    choices: z.array(z.string()).optional(),
    /** A request for a human with this reason must be queued by this turn. */
    escalation: z.string().optional(),
    /** After this turn the conversation has exactly this many cases, with these facts on the newest. */
    cases: z.number().int().min(0).optional(),
    case_situation: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((turn) => (turn.user === undefined) !== (turn.location === undefined), { error: 'a turn has either user or location' });

const conversationSchema = z
  .object({
    /** The language the transcript is in: coverage is counted per language. */
    language: z.string(),
    /** Passed as the channel's language hint (like `pelita chat --lang`). */
    lang: z.string().optional(),
    /** Run where case workers answer cases (CASE_WORKERS_USE_ADMIN_API): replies may promise a human. */
    case_workers: z.boolean().optional(),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

const fileSchema = z.object({ conversations: z.array(conversationSchema).min(1) }).strict();

export type TranscriptTurn = z.infer<typeof turnSchema>;
export type TranscriptConversation = z.infer<typeof conversationSchema> & { file: string; index: number };

export const TRANSCRIPTS_DIR = path.join(import.meta.dirname, '..', 'conversations');

/** Every conversation in tests/conversations/*.yaml. */
export function loadTranscripts(dir = TRANSCRIPTS_DIR): TranscriptConversation[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((name) => {
      const parsed = fileSchema.parse(parse(readFileSync(path.join(dir, name), 'utf8')));
      return parsed.conversations.map((conversation, index) => ({ ...conversation, file: name, index }));
    });
}
