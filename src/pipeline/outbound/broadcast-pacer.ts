import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { LuaScript } from '../../redis/lua-script.ts';
import { PaceLimiter, PLATFORM_WINDOW_MS } from './pace-limiter.ts';
import type { ChannelPacing } from './paced-sender.ts';

const SLOT = LuaScript.fromFile(new URL('./lua/broadcast-slot.lua', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How often a broadcast looks again while replies wait on the channel. */
const REPLIES_WAITING_PAUSE_MS = 20;
/** How late a broadcast's slot may still be taken: timers fire late and replies go first, and neither should slow a broadcast for good. */
const CATCH_UP_MS = 1000;

/**
 * A channel's slots for broadcasts (lua/broadcast-slot.lua). Broadcasts run on a bucket of
 * their own at (1 - liveShare) of the channel's rate, take a slot only while no reply waits
 * and none is booked ahead on the channel's bucket, and keep the channel's count of the last
 * second a little under the platform's limit: replies always find room, and a sender's
 * jitter does not tip a strict platform over its limit. Then the person's own pace.
 *
 * In one process one sender at a time asks for a slot, the others wait their turn here:
 * eight senders polling the same slot would cost eight round trips for each message.
 */
export class BroadcastPacer {
  private readonly channelBucket: PaceLimiter;
  private readonly ownInterval: number;
  private readonly mostInWindow: number;
  private readonly staleAfterMs: number;
  private turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly channel: string,
    private readonly pacing: ChannelPacing,
    liveShare: number,
    private readonly repliesWaiting: () => Promise<boolean>,
  ) {
    this.channelBucket = PaceLimiter.forChannel(redis, keys, channel, pacing.channel);
    const rate = pacing.channel.perSecond;
    // Room in every second for the live share, and at least a burst of replies: a message
    // is counted when its slot is booked but reaches the platform a little later, and
    // after a pause in this process (a garbage collection) several reach it together; the
    // room takes that in. With only one message of room, a platform that counts the last
    // second strictly refused a few sends a minute.
    const headroom = Math.max(1, pacing.channel.burst, Math.ceil(rate * liveShare));
    this.mostInWindow = Math.max(1, Math.floor(rate) - headroom);
    const broadcastRate = Math.min(rate * (1 - liveShare), this.mostInWindow);
    // 0: no limit (the reply log); only a pause holds broadcasts back.
    this.ownInterval = rate > 0 ? 1000 / broadcastRate : 0;
    // The log counts a message when its slot is booked; one sent much later (the process
    // stalled in between) would land in another second than the log says. The headroom
    // covers that much lateness, no more.
    this.staleAfterMs = rate > 0 ? Math.max(10, (headroom * 1000) / rate) : Number.POSITIVE_INFINITY;
  }

  /**
   * Resolves when one broadcast message to `conversationId` may be sent; its slot is
   * booked. Returns when (performance.now()), for `sendNow`.
   */
  async slot(conversationId: string): Promise<number> {
    if (this.pacing.conversation.perSecond > 0) {
      const personal = await new PaceLimiter(this.redis, this.keys.pace(this.channel, conversationId), this.pacing.conversation).take(1);
      if (personal > 0) await sleep(personal);
    }
    return this.inTurn();
  }

  /** Called just before sending on a slot booked at `bookedAt`: a slot gone stale is booked again. */
  async sendNow(bookedAt: number): Promise<void> {
    if (performance.now() - bookedAt > this.staleAfterMs) await this.inTurn();
  }

  /** The platform asked to slow down: nobody on the channel sends for `ms`. */
  async pause(ms: number): Promise<void> {
    await this.channelBucket.pause(ms);
    await sleep(ms);
  }

  private async inTurn(): Promise<number> {
    const mine = this.turn.then(() => this.book());
    this.turn = mine.catch(() => undefined);
    await mine;
    return performance.now();
  }

  private async book(): Promise<void> {
    if (this.ownInterval === 0) {
      const wait = await this.channelBucket.take(1);
      if (wait > 0) await sleep(wait);
      return;
    }
    const keys = [
      this.keys.channelPace(this.channel, 'broadcasts'),
      this.keys.channelPace(this.channel, 'all'),
      this.keys.channelPace(this.channel, 'sent'),
    ];
    // Catching up at up to twice the channel's pace, never in one burst. Not at the
    // channel's pace itself: each booking then came a round trip late, and the broadcast
    // ran at what the sender's round trips allowed rather than at its share.
    const gap = 500 / this.pacing.channel.perSecond;
    const args = [this.ownInterval, CATCH_UP_MS, gap, this.mostInWindow, PLATFORM_WINDOW_MS];
    for (;;) {
      if (await this.repliesWaiting()) {
        await sleep(REPLIES_WAITING_PAUSE_MS);
        continue;
      }
      const wait = Number(await SLOT.run(this.redis, keys, args));
      if (wait === 0) return;
      await sleep(wait);
    }
  }
}
