import type { Redis } from 'ioredis';
import { z } from 'zod';
import { variableValue, type VariableValue } from '../flows/flow-schema.ts';
import { SESSION_VERSION, newSession, type Session } from '../engine/session.ts';
import { situationSchema } from '../engine/situation.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { LuaScript, type ScriptCall } from '../redis/lua-script.ts';

/** Saves a session; a script so that it can join a turn's commit (lua/save-session.lua). */
const SAVE = LuaScript.fromFile(new URL('./lua/save-session.lua', import.meta.url));

/** Sessions as JSON in Redis, expiring after a quiet period so nothing is kept forever. */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * `stored`: the session's stored value when the caller already read it (null: none).
   * What is read back is checked field by field: a session that fails (a hand edit, a bug,
   * a half-written value) keeps what passes and starts afresh for the rest, so a person is
   * never stuck behind an unreadable session, nor given numbers for a place they never said.
   */
  async load(conversationId: string, now: string, stored?: string | null): Promise<Session> {
    const raw = stored !== undefined ? stored : await this.redis.get(this.keys.session(conversationId));
    return raw === null ? newSession(conversationId, now) : sessionFromStored(raw, conversationId, now);
  }

  keyOf(conversationId: string): string {
    return this.keys.session(conversationId);
  }

  /** Saving, as a write for another atomic step to carry (the turn's acknowledgement). */
  saveCall(session: Session): ScriptCall {
    return { script: SAVE, keys: [this.keys.session(session.conversationId)], args: [JSON.stringify(session), this.ttlSeconds] };
  }
}

const waitingSchema = z.object({ flow: z.string().min(1), node: z.string().min(1), retries: z.number().int().min(0) });

/** A stored session, validated; see SessionStore.load. */
export function sessionFromStored(raw: string, conversationId: string, now: string): Session {
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return newSession(conversationId, now);
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return newSession(conversationId, now);
  const fields = stored as Record<string, unknown>;
  // A session from a future or unknown schema is not guessed at: the person starts over.
  if (fields.v !== SESSION_VERSION) return newSession(conversationId, now);
  const session = newSession(conversationId, now);
  const language = z.string().min(2).max(8).safeParse(fields.language);
  if (language.success) session.language = language.data;
  // A question that does not read back is dropped: the person is back at the menu.
  const waiting = waitingSchema.safeParse(fields.waiting);
  if (waiting.success) session.waiting = waiting.data;
  if (typeof fields.vars === 'object' && fields.vars !== null && !Array.isArray(fields.vars)) {
    for (const [name, value] of Object.entries(fields.vars)) {
      if (variableValue.safeParse(value).success) session.vars[name] = value as VariableValue;
    }
  }
  // A situation that does not read back as one is forgotten, not trusted: a wrong country
  // would mean wrong numbers.
  const situation = situationSchema.safeParse(fields.situation);
  if (situation.success) session.situation = situation.data;
  const updatedAt = z.string().safeParse(fields.updatedAt);
  if (updatedAt.success) session.updatedAt = updatedAt.data;
  return session;
}
