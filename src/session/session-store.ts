import type { Redis } from 'ioredis';
import { SESSION_VERSION, newSession, type Session } from '../engine/session.ts';
import { situationSchema } from '../engine/situation.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { LuaScript, type ScriptCall } from '../redis/lua-script.ts';

/** KEYS: session. ARGV: session json, ttl (s). A script so that it can join a turn's commit. */
const SAVE = new LuaScript(`redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`);

/** Sessions as JSON in Redis, expiring after a quiet period so nothing is kept forever. */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  /** `stored`: the session's stored value when the caller already read it (null: none). */
  async load(conversationId: string, now: string, stored?: string | null): Promise<Session> {
    const raw = stored !== undefined ? stored : await this.redis.get(this.keys.session(conversationId));
    if (raw === null) return newSession(conversationId, now);
    const session = JSON.parse(raw) as Partial<Session>;
    // A session from a future or unknown schema is not guessed at: the person starts over.
    if (session.v !== SESSION_VERSION) return newSession(conversationId, now);
    // A situation that does not read back as one (a hand edit, a bug) is forgotten, not
    // trusted: a wrong country would mean wrong numbers.
    if (session.situation !== undefined && !situationSchema.safeParse(session.situation).success) delete session.situation;
    return session as Session;
  }

  keyOf(conversationId: string): string {
    return this.keys.session(conversationId);
  }

  /** Saving, as a write for another atomic step to carry (the turn's acknowledgement). */
  saveCall(session: Session): ScriptCall {
    return { script: SAVE, keys: [this.keys.session(session.conversationId)], args: [JSON.stringify(session), this.ttlSeconds] };
  }
}
