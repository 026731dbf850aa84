import type { Redis } from 'ioredis';
import type { Inbound } from '../core/messages/inbound.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { PaceLimiter } from './outbound/pace-limiter.ts';
import type { Lane } from '../redis/conversation-queue.ts';

/** Counting windows are a minute: limits are "per minute". */
const WINDOW_SECONDS = 60;

/** Counts a sender's message in the window and says whether it opens a new conversation (lua/count-sender.lua). */
const COUNT_SENDER = LuaScript.fromFile(new URL('./lua/count-sender.lua', import.meta.url));

/** Senders remembered as over their limit in this process (bounded: a flood of ids cannot grow it). */
const BLOCKED_SENDERS_KEPT = 10_000;

/** New conversations may start this many at once before their pace applies. */
const NEW_CONVERSATIONS_BURST = 50;

/**
 * What happens to a message under the limits: `ok`; `notice`, the first over a sender's
 * limit in a window (handled only to tell them, once, to slow down, with the hotlines);
 * `dropped` (told already, or a new conversation past the cap).
 */
export type LimitVerdict = 'ok' | 'notice' | 'dropped';

/**
 * The verdict, and the lane a message that goes on waits in: `later` for a sender with no
 * conversation yet (unless the message reads as an emergency), so that a burst of new
 * senders waits behind the people already talking; `ready` otherwise.
 */
export interface LimitOutcome {
  verdict: LimitVerdict;
  lane: Extract<Lane, 'ready' | 'later'>;
}

export interface InboundLimitSettings {
  /** Messages one sender may send a minute (0: no limit). */
  perSenderPerMinute: number;
  /** New conversations a minute, all channels together, at an even pace after a burst of up to 50 (0: no limit). */
  newConversationsPerMinute: number;
}

/**
 * Limits at the door, for every channel, shared by every gateway process through Redis:
 * one sender's flood costs them their own messages, not other people's answers, and a
 * burst of new senders (a spammer's numbers) is capped. A message that reads as an
 * emergency is never limited: whatever else is dropped, a person in danger is answered.
 */
export class InboundLimits {
  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      settings: InboundLimitSettings;
      /** The emergency rules alone (no classifier): cheap enough for every message at the door. */
      isEmergency: (text: string) => boolean;
    },
  ) {
    const perMinute = deps.settings.newConversationsPerMinute;
    this.newConversations =
      perMinute > 0
        ? new PaceLimiter(deps.redis, deps.keys.newConversationPace(), {
            perSecond: perMinute / 60,
            burst: Math.min(NEW_CONVERSATIONS_BURST, perMinute),
          })
        : undefined;
  }

  /**
   * New conversations are paced, not counted per minute: a minute's allowance admitted at
   * once would put a thousand strangers' first turns ahead of everyone already talking.
   */
  private readonly newConversations: PaceLimiter | undefined;

  /** Until when a sender is known to be over their limit: their flood costs no Redis round trip. */
  private readonly blockedUntil = new Map<string, number>();

  async check(message: Inbound): Promise<LimitOutcome> {
    const { redis, keys, settings } = this.deps;
    if (settings.perSenderPerMinute === 0 && settings.newConversationsPerMinute === 0) return { verdict: 'ok', lane: 'ready' };
    const emergency = () => message.text !== undefined && this.deps.isEmergency(message.text);
    const blocked = this.blockedUntil.get(message.conversationId);
    if (blocked !== undefined) {
      if (blocked > Date.now()) return { verdict: emergency() ? 'ok' : 'dropped', lane: 'ready' };
      this.blockedUntil.delete(message.conversationId);
    }
    const [count, isNew, windowLeftMs] = (await COUNT_SENDER.run(
      redis,
      [keys.senderCount(message.conversationId), keys.session(message.conversationId)],
      [WINDOW_SECONDS],
    )) as [number, number, number];
    let verdict: LimitVerdict = 'ok';
    if (isNew === 1 && this.newConversations && !(await this.newConversations.takeNow(1)).booked) verdict = 'dropped';
    if (verdict === 'ok' && settings.perSenderPerMinute > 0 && count > settings.perSenderPerMinute) {
      verdict = count === settings.perSenderPerMinute + 1 ? 'notice' : 'dropped';
      if (verdict === 'dropped' && windowLeftMs > 0) this.remember(message.conversationId, Date.now() + windowLeftMs);
    }
    if ((verdict !== 'ok' || isNew === 1) && emergency()) return { verdict: 'ok', lane: 'ready' };
    return { verdict, lane: isNew === 1 ? 'later' : 'ready' };
  }

  private remember(conversationId: string, until: number): void {
    if (this.blockedUntil.size >= BLOCKED_SENDERS_KEPT) {
      // The oldest entry goes (a Map iterates in insertion order).
      const oldest = this.blockedUntil.keys().next().value;
      if (oldest !== undefined) this.blockedUntil.delete(oldest);
    }
    this.blockedUntil.set(conversationId, until);
  }
}
