import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadcastPacer } from '../src/pipeline/outbound/broadcast-pacer.ts';
import { PaceLimiter } from '../src/pipeline/outbound/pace-limiter.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url);
});
afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

describe('the pace limiter (a token bucket in Redis)', () => {
  it('lets a burst through, then spaces messages at the rate, also at fractional intervals', async () => {
    // 30 per second is 33.3 ms apart: not a whole number of milliseconds.
    const limiter = new PaceLimiter(connection, `${redis.prefix}:pace:a`, { perSecond: 30, burst: 3 });
    const waits = [];
    for (let n = 0; n < 6; n++) waits.push(await limiter.take(1));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(20);
    expect(waits[5]! - waits[3]!).toBeGreaterThanOrEqual(60);
    expect(waits[5]! - waits[3]!).toBeLessThanOrEqual(70);
  });

  it('books nothing ahead for a sender that can wait, so an urgent booking is next', async () => {
    const limiter = new PaceLimiter(connection, `${redis.prefix}:pace:d`, { perSecond: 1, burst: 1 });
    expect(await limiter.takeNow(1)).toEqual({ booked: true, waitMs: 0 });
    // The slot is taken: a sender that can wait is told when to ask again, and books nothing...
    const refused = await limiter.takeNow(1);
    expect(refused.booked).toBe(false);
    expect(refused.waitMs).toBeGreaterThan(900);
    expect((await limiter.takeNow(1)).booked).toBe(false);
    // ...so the urgent one gets the very next slot, not one behind the refused askers.
    const urgent = await limiter.take(1);
    expect(urgent).toBeGreaterThan(900);
    expect(urgent).toBeLessThanOrEqual(1000);
  });

  it('books several messages at once, and a pause holds every sender back', async () => {
    const limiter = new PaceLimiter(connection, `${redis.prefix}:pace:b`, { perSecond: 1, burst: 1 });
    expect(await limiter.take(3)).toBe(0);
    expect(await limiter.take(1)).toBeGreaterThanOrEqual(2900);
    const unlimited = new PaceLimiter(connection, `${redis.prefix}:pace:c`, { perSecond: 0, burst: 1 });
    expect(await unlimited.take(100)).toBe(0);
    await unlimited.pause(1500);
    const wait = await unlimited.take(1);
    expect(wait).toBeGreaterThan(1400);
    expect(wait).toBeLessThanOrEqual(1500);
  });
});

describe("a channel's bucket keeps to the platform's count of the last second", () => {
  it('holds a message that would make more than the rate in one second, burst included', async () => {
    const keys = new RedisKeys(`${redis.prefix}:window`);
    const bucketOnly = new PaceLimiter(connection, `${redis.prefix}:pace:bucket-only`, { perSecond: 10, burst: 5 });
    const channel = PaceLimiter.forChannel(connection, keys, 'telegram', { perSecond: 10, burst: 5 });
    const bucketWaits = [];
    const channelWaits = [];
    for (let n = 0; n < 11; n++) {
      bucketWaits.push(await bucketOnly.take(1));
      channelWaits.push(await channel.take(1));
    }
    // The bucket alone lets the burst go and then 10 a second: the 11th message 600 ms
    // after the first, the 11th in one second.
    expect(bucketWaits[10]).toBeLessThan(700);
    // Kept to one under the count, the 10th waits until the first has left the second.
    expect(channelWaits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(channelWaits[8]).toBeLessThan(950);
    expect(channelWaits[9]).toBeGreaterThan(950);
  });
});

describe('broadcast slots', () => {
  it('leave room in every second for replies, and a reply finds it at once', async () => {
    const keys = new RedisKeys(`${redis.prefix}:broadcast-slots`);
    const pacing = { channel: { perSecond: 20, burst: 3 }, conversation: { perSecond: 0, burst: 1 } };
    const pacer = new BroadcastPacer(connection, keys, 'telegram', pacing, 0.05);
    // The log of the channel's sends, as Redis timed them: an entry stays a second, so
    // looking every 200 ms sees them all.
    const booked = new Map<string, number>();
    const look = async () => {
      const entries = await connection.zrange(keys.channelPace('telegram', 'sent'), 0, -1, 'WITHSCORES');
      for (let i = 0; i < entries.length; i += 2) booked.set(entries[i] as string, Number(entries[i + 1]));
    };
    const until = Date.now() + 2200;
    const looking = (async () => {
      while (Date.now() < until + 200) {
        await look();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) await pacer.slot('someone');
      }),
    );
    await looking;
    const sentAt = [...booked.values()].sort((a, b) => a - b);
    let most = 0;
    for (let last = 0, first = 0; last < sentAt.length; last++) {
      while ((sentAt[last] as number) - (sentAt[first] as number) >= 1000) first++;
      most = Math.max(most, last - first + 1);
    }
    // 20 a second, one under it for every sender, and room for replies (at least two): at
    // most 17 broadcast messages in any second.
    expect(most).toBeGreaterThan(10);
    expect(most).toBeLessThanOrEqual(17);
    const reply = await PaceLimiter.forChannel(connection, keys, 'telegram', pacing.channel).takeNow(1);
    expect(reply.booked).toBe(true);
  });

  it('give back a slot that goes unused, or that went stale before sending', async () => {
    const keys = new RedisKeys(`${redis.prefix}:broadcast-give-back`);
    const pacing = { channel: { perSecond: 10, burst: 1 }, conversation: { perSecond: 0, burst: 1 } };
    const pacer = new BroadcastPacer(connection, keys, 'telegram', pacing, 0.05);
    // Room for 7 in a second (one under the limit, two for replies): 7 go, an 8th waits for the second to pass.
    const slots = [];
    for (let n = 0; n < 7; n++) slots.push(await pacer.slot('someone'));
    const log = keys.channelPace('telegram', 'sent');
    expect(await connection.zcard(log)).toBe(7);
    await pacer.giveBack(slots[6] as (typeof slots)[number]);
    expect(await connection.zcard(log)).toBe(6);
    const asked = Date.now();
    const again = await pacer.slot('someone');
    expect(Date.now() - asked).toBeLessThan(500);
    // A slot booked long before the send is given back and a fresh one booked in its place.
    const stale = { ...(slots[0] as (typeof slots)[number]), bookedAt: performance.now() - 1000 };
    await pacer.onSending(stale)();
    const entries = await connection.zrange(log, 0, -1);
    expect(entries).not.toContain(stale.entry);
    const earlier = new Set([...slots, again].map((slot) => slot.entry));
    expect(entries.filter((entry) => !earlier.has(entry))).toHaveLength(1);
  });

  it('hold back while a reply waits for a slot', async () => {
    const keys = new RedisKeys(`${redis.prefix}:broadcast-reply-waits`);
    const pacing = { channel: { perSecond: 50, burst: 3 }, conversation: { perSecond: 0, burst: 1 } };
    const pacer = new BroadcastPacer(connection, keys, 'telegram', pacing, 0.05);
    // What a reply sender says while it waits (outbound/paced-sender.ts), held for 300 ms.
    await connection.set(keys.repliesWaitingForSlot('telegram'), '1', 'PX', 300);
    const asked = Date.now();
    await pacer.slot('someone');
    expect(Date.now() - asked).toBeGreaterThanOrEqual(250);
  });

  it('hold back while a reply is booked ahead on the channel', async () => {
    const keys = new RedisKeys(`${redis.prefix}:broadcast-after-replies`);
    const pacing = { channel: { perSecond: 2, burst: 3 }, conversation: { perSecond: 0, burst: 1 } };
    const replies = PaceLimiter.forChannel(connection, keys, 'telegram', pacing.channel);
    // Three replies at once: the channel's bucket is booked a second and a half ahead.
    expect(await replies.take(3)).toBe(0);
    const pacer = new BroadcastPacer(connection, keys, 'telegram', pacing, 0.05);
    const asked = Date.now();
    await pacer.slot('someone');
    expect(Date.now() - asked).toBeGreaterThanOrEqual(1000);
  });
});
