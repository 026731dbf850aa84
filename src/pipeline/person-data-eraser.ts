import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CaseStore } from '../cases/case-store.ts';
import type { ContactBook } from '../alerts/contact-book.ts';
import type { Logger } from '../core/log/logger.ts';
import { channelOf } from '../core/messages/channel.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';

const CLAIM_DUE = LuaScript.fromFile(new URL('./lua/claim-due.lua', import.meta.url));
const FINISH_CLAIM = LuaScript.fromFile(new URL('./lua/finish-claim.lua', import.meta.url));

/** How many due second passes one sweep takes at most. */
const SWEEP_BATCH = 100;
/** How long a worker holds a second pass it took; one that dies leaves it due again after this. */
const CLAIM_LEASE_MS = 60_000;
/**
 * The least a second pass waits for the conversation's queues to empty before it looks
 * again; otherwise as long as the pass itself waited. Each look scans the keyspace, so a
 * confirmation stuck behind a platform outage must not make every worker scan every second.
 */
const BUSY_RETRY_MS = 2_000;

/**
 * "Delete my data": every key that names the conversation goes: its session with all
 * answers, its alerts subscription, reply history, dedupe and delivery markers, channel state (WhatsApp statuses
 * and window, "unreachable"), pacing, its conversation token, any message set aside as a
 * dead letter. Cases stay so a case worker can still act on them, but under a keyed
 * pseudonym (an HMAC with a secret kept in Redis, not a plain hash anyone can reverse by
 * trying phone numbers) and without what they said of the person.
 *
 * Keys are found by the conversation's {hashtag}, matched exactly. The inbox and the lock
 * of a queue are left alone: they hold the messages still to be answered (this very
 * "delete" among them) and empty themselves; so is WhatsApp's 24-hour window, without
 * which the confirmation could not be sent. What answering the deletion leaves behind
 * (the confirmation in the reply log, its delivery markers, that window) goes in a second pass
 * `secondPassAfterMs` later, once the person has had time to read it.
 */
export class PersonDataEraser {
  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      cases: CaseStore;
      /** The alerts' contact book: its record and segment bits go too. */
      contacts?: ContactBook | undefined;
      secondPassAfterMs: number;
      log?: Logger | undefined;
    },
  ) {}

  async erase(conversationId: string): Promise<{ keysDeleted: number; casesAnonymised: number }> {
    const { redis, keys, cases } = this.deps;
    // Cases first: they are found through keys that name the conversation.
    const casesAnonymised = await cases.anonymise(conversationId, await this.pseudonymOf(conversationId));
    // Kept under the book's own {hashtag}, so the scan below would not find it.
    await this.deps.contacts?.erase(conversationId);
    const keysDeleted = await this.eraseKeys(conversationId, [keys.whatsappLastInbound(conversationId)]);
    await redis.srem(keys.queueDeadIndex('inbound'), conversationId);
    await redis.zadd(keys.erasuresDue(), Date.now() + this.deps.secondPassAfterMs, conversationId);
    return { keysDeleted, casesAnonymised };
  }

  /**
   * Second passes that are due: the traces of answering "delete my data". Returns how many
   * conversations it cleared. Safe to run in every worker at once: each entry is leased to
   * one worker and leaves the schedule only once its keys are gone, so a worker that dies
   * mid-pass leaves it for another. A conversation whose queues still hold items (the
   * confirmation not yet delivered, whose delivery would leave its markers after the pass)
   * is looked at again after another wait.
   */
  async sweep(now = Date.now()): Promise<number> {
    const { redis, keys } = this.deps;
    const schedule = keys.erasuresDue();
    const due = await redis.zrangebyscore(schedule, 0, now, 'LIMIT', 0, SWEEP_BATCH);
    let cleared = 0;
    for (const conversationId of due) {
      const leaseEnds = now + CLAIM_LEASE_MS;
      if ((await CLAIM_DUE.run(redis, [schedule], [conversationId, now, leaseEnds])) !== 1) continue;
      const done = await this.eraseKeysIfIdle(conversationId);
      const again = Date.now() + Math.max(BUSY_RETRY_MS, this.deps.secondPassAfterMs);
      await FINISH_CLAIM.run(redis, [schedule], [conversationId, leaseEnds, done ? '' : again]);
      if (done) cleared += 1;
    }
    return cleared;
  }

  /** Runs `sweep` every `everyMs` until the returned function is called. */
  sweepEvery(everyMs: number): () => void {
    const timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.deps.log?.warn({ err: error }, 'second pass of a deletion failed; will try again'));
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The name a conversation's cases keep once it is deleted: keyed, so nobody can work back to the id. */
  async pseudonymOf(conversationId: string): Promise<string> {
    return `deleted:${createHmac('sha256', await this.secret())
      .update(conversationId)
      .digest('hex')
      .slice(0, 32)}`;
  }

  /** `keep`: keys still needed to answer the deletion itself (WhatsApp's 24-hour window); the second pass takes them. */
  private async eraseKeys(conversationId: string, keep: readonly string[]): Promise<number> {
    const { own } = await this.keysOf(conversationId);
    return this.deleteAll(
      conversationId,
      own.filter((key) => !keep.includes(key)),
    );
  }

  /** The second pass: every key, once no queue of the conversation holds work. False (nothing done) while one does. */
  private async eraseKeysIfIdle(conversationId: string): Promise<boolean> {
    const { own, live } = await this.keysOf(conversationId);
    if (live.length > 0) return false;
    await this.deleteAll(conversationId, own);
    return true;
  }

  /**
   * The conversation's keys: `live` are its queues' inboxes and locks (messages still to
   * answer or deliver, this very "delete" among them), which empty themselves; `own` is the rest.
   */
  private async keysOf(conversationId: string): Promise<{ own: string[]; live: string[] }> {
    const { keys } = this.deps;
    const hashtag = `{${conversationId}}`;
    const named = await this.scan(`${keys.prefix}:*${escapeGlob(hashtag)}*`);
    // Exact: a key is the conversation's when its hashtag is this conversation's, whole.
    const exact = named.filter((key) => hashtagOf(key.slice(keys.prefix.length)) === conversationId);
    const isLive = (key: string) =>
      key.startsWith(`${keys.prefix}:q:`) && (key.endsWith(`${hashtag}:items`) || key.endsWith(`${hashtag}:lock`));
    return { own: exact.filter((key) => !isLive(key)), live: exact.filter(isLive) };
  }

  private async deleteAll(conversationId: string, own: readonly string[]): Promise<number> {
    const { redis, keys } = this.deps;
    let deleted = 0;
    // One key at a time: on Redis Cluster they need not share a slot.
    for (const key of [...own, keys.pace(channelOf(conversationId), conversationId)]) deleted += await redis.del(key);
    return deleted;
  }

  private async secret(): Promise<string> {
    const { redis, keys } = this.deps;
    // Made once per deployment, by whichever process needs it first.
    await redis.set(keys.pseudonymSecret(), randomBytes(32).toString('hex'), 'NX');
    const secret = await redis.get(keys.pseudonymSecret());
    if (!secret) throw new Error('the pseudonym secret could not be read back from Redis');
    return secret;
  }

  private async scan(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.deps.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }
}

/** A key's {hashtag} as Redis reads it: from the first "{" to the next "}". */
function hashtagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open ? key.slice(open + 1, close) : undefined;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
