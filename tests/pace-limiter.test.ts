import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaceLimiter } from '../src/pipeline/outbound/pace-limiter.ts';
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
