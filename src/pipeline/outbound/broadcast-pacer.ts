import type { Redis } from 'ioredis';
import type { BeforeEachSend } from '../../core/channel-sender.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { LuaScript } from '../../redis/lua-script.ts';
import { PaceLimiter, PLATFORM_WINDOW_MS } from './pace-limiter.ts';
import type { ChannelPacing } from './paced-sender.ts';

const SLOT = LuaScript.fromFile(new URL('./lua/broadcast-slot.lua', import.meta.url));
const UNBOOK = LuaScript.fromFile(new URL('./lua/broadcast-unbook.lua', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How often a broadcast looks again while replies wait on the channel. */
const REPLIES_WAITING_PAUSE_MS = 20;
/** How late a broadcast's slot may still be taken: timers fire late and replies go first, and neither should slow a broadcast for good. */
const CATCH_UP_MS = 1000;

/** A booked slot: when (performance.now()) and its entry in the channel's log. */
export interface BroadcastSlot {
  bookedAt: number;
  entry?: string;
}

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
  /** The slot script's keys and arguments: the same for every slot. */
  private readonly slotKeys: string[];
  private readonly slotArgs: number[];
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly channel: string,
    private readonly pacing: ChannelPacing,
    liveShare: number,
  ) {
    this.channelBucket = PaceLimiter.forChannel(redis, keys, channel, pacing.channel);
    const rate = pacing.channel.perSecond;
    // What broadcasts may bring the channel's count of the last second to. Every sender
    // keeps one under the platform's limit (PaceLimiter.forChannel): a pause in this process
    // can bunch messages into one second after their slots were counted. Below that,
    // replies' room: the live share, at least two messages, so a turn's replies go at once
    // (with less, live replies waited behind the broadcast: p99 2-3 times idle). Above the
    // broadcasts' own rate by one, so slots missed can be caught up.
    const shareRate = rate * (1 - liveShare);
    const repliesRoom = Math.max(2, Math.ceil(rate * liveShare));
    this.mostInWindow = Math.max(1, Math.min(Math.floor(rate) - 1 - repliesRoom, Math.ceil(shareRate) + 1));
    const broadcastRate = Math.min(shareRate, this.mostInWindow);
    // 0: no limit (the reply log); only a pause holds broadcasts back.
    this.ownInterval = rate > 0 ? 1000 / broadcastRate : 0;
    // The log counts a message when its slot is booked; one sent much later (the process
    // paused in between) would land in another second than the log says. Half a message's
    // room of lateness (10-25 ms), then the slot is booked again.
    this.staleAfterMs = rate > 0 ? Math.min(25, Math.max(10, 500 / rate)) : Number.POSITIVE_INFINITY;
    this.slotKeys = [
      keys.channelPace(channel, 'broadcasts'),
      keys.channelPace(channel, 'all'),
      keys.channelPace(channel, 'sent'),
      keys.channelPace(channel, 'broadcast-slots'),
      keys.repliesWaitingForSlot(channel),
    ];
    // Catching up at up to a third faster than the channel's pace. The gap between two sends
    // is also what a pause in this process may bunch them by before the platform sees them
    // (at twice the pace, refusals), and each booking comes a round trip after the gap ends
    // (at the channel's pace itself, a fifth of the rate was lost to that).
    const gap = rate > 0 ? 750 / rate : 0;
    this.slotArgs = [this.ownInterval, CATCH_UP_MS, gap, this.mostInWindow, PLATFORM_WINDOW_MS, REPLIES_WAITING_PAUSE_MS];
  }

  /** Resolves when one broadcast message to `conversationId` may be sent; its slot is booked. */
  async slot(conversationId: string): Promise<BroadcastSlot> {
    if (this.pacing.conversation.perSecond > 0) {
      const personal = await new PaceLimiter(this.redis, this.keys.pace(this.channel, conversationId), this.pacing.conversation).take(1);
      if (personal > 0) await sleep(personal);
    }
    return this.inTurn();
  }

  /**
   * What to await just before each call to the platform (the channel's sender calls it),
   * for a message whose slot is `slot`: the first call uses that slot unless it has gone
   * stale, every later one (the next part of a long message, a retry) books one of its own.
   */
  onSending(slot: BroadcastSlot): BeforeEachSend {
    let first: BroadcastSlot | undefined = slot;
    return async () => {
      const booked = first;
      first = undefined;
      if (booked && performance.now() - booked.bookedAt <= this.staleAfterMs) return;
      if (booked) await this.giveBack(booked);
      await this.inTurn();
    };
  }

  /** A slot that will not be used goes back to the broadcasts. */
  async giveBack(slot: BroadcastSlot): Promise<void> {
    if (slot.entry === undefined) return;
    const keys = [this.keys.channelPace(this.channel, 'broadcasts'), this.keys.channelPace(this.channel, 'sent')];
    await UNBOOK.run(this.redis, keys, [slot.entry, this.ownInterval]);
  }

  /** The platform asked to slow down: nobody on the channel sends for `ms`. */
  async pause(ms: number): Promise<void> {
    await this.channelBucket.pause(ms);
    await sleep(ms);
  }

  private async inTurn(): Promise<BroadcastSlot> {
    const mine = this.turn.then(() => this.book());
    this.turn = mine.catch(() => undefined);
    const entry = await mine;
    return entry === undefined ? { bookedAt: performance.now() } : { bookedAt: performance.now(), entry };
  }

  /** Books a slot; its entry in the log (none on a channel without a limit). */
  private async book(): Promise<string | undefined> {
    if (this.ownInterval === 0) {
      const wait = await this.channelBucket.take(1);
      if (wait > 0) await sleep(wait);
      return undefined;
    }
    for (;;) {
      const result = await SLOT.run(this.redis, this.slotKeys, this.slotArgs);
      if (typeof result === 'string') return result;
      await sleep(Number(result));
    }
  }
}
