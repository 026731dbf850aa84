import type { Redis } from 'ioredis';
import type { ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { OutboundBatch } from '../../core/messages/reply.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { PaceLimiter, type Pace } from './pace-limiter.ts';
import { RetryAfterError } from '../../core/retry-after-error.ts';

export interface ChannelPacing {
  /** The whole channel (one bot, one number). */
  channel: Pace;
  /** One conversation. */
  conversation: Pace;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long one "a reply waits here" lasts unless said again: longer than one wait for a slot. */
const REPLIES_WAITING_MS = 60;

/**
 * Sends at the pace a platform allows, shared by every process: a bucket for the channel
 * and one per conversation, both in Redis. When the platform still answers "too many
 * requests", the whole channel pauses for as long as it asked and the batch is sent again
 * (the inner sender skips what it already delivered): nothing is dropped.
 */
export class PacedSender implements ChannelSender {
  private readonly channelBucket: PaceLimiter;

  constructor(
    private readonly inner: ChannelSender,
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      channel: string;
      pacing: ChannelPacing;
      log: Logger;
      onRateLimited?: () => void;
    },
  ) {
    this.channelBucket = PaceLimiter.forChannel(deps.redis, deps.keys, deps.channel, deps.pacing.channel);
  }

  async deliver(batch: OutboundBatch): Promise<DeliveryResult> {
    const { redis, keys, channel, pacing, log } = this.deps;
    const conversationBucket = new PaceLimiter(redis, keys.pace(channel, batch.conversationId), pacing.conversation);
    // The person's pace is booked for the whole turn at once: a turn's replies go together.
    // The channel's slot, though, each message books just before the platform is called
    // (after the sender's own checks), so the channel's log of sends says when the platform
    // saw it: booked for the whole batch first, the last of three went out later than the
    // log said, and a platform counting the last second saw one more than allowed.
    const beforeEachSend = async () => {
      // An emergency reply books the channel's next free slot at once; the others book only
      // a slot they can use now, so however long the backlog, nothing is booked ahead of it.
      const wait = batch.urgent ? await this.channelBucket.take(1) : await this.whenChannelFree(1);
      if (wait > 0) await sleep(wait);
    };
    for (;;) {
      const forConversation = await conversationBucket.take(Math.max(1, batch.replies.length));
      if (forConversation > 0) await sleep(forConversation);
      try {
        return await this.inner.deliver(batch, beforeEachSend);
      } catch (error) {
        if (!(error instanceof RetryAfterError)) throw error;
        this.deps.onRateLimited?.();
        log.warn({ channel, retryAfterMs: error.retryAfterMs }, 'platform asked to slow down; pausing the channel, then sending again');
        await this.channelBucket.pause(error.retryAfterMs);
      }
    }
  }

  /**
   * Waits until the channel has a slot for `cost` messages now, books it, and returns the
   * little wait left. While it waits it says so (REPLIES_WAITING_MS at a time), so that a
   * broadcast leaves the next slot to it.
   */
  private async whenChannelFree(cost: number): Promise<number> {
    const { redis, keys, channel } = this.deps;
    for (;;) {
      const { booked, waitMs } = await this.channelBucket.takeNow(cost);
      if (booked) return waitMs;
      await redis.set(keys.repliesWaitingForSlot(channel), '1', 'PX', REPLIES_WAITING_MS);
      // A few milliseconds apart, so waiting senders do not all ask at the same instant.
      await sleep(waitMs + Math.floor(Math.random() * 5));
    }
  }
}
