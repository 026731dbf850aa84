import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyLog } from '../src/pipeline/reply-log/reply-log.ts';
import type { OutboundBatch } from '../src/core/messages/reply.ts';
import { runCall } from '../src/redis/lua-script.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let log: ReplyLog;
let keys: RedisKeys;

beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url);
  keys = new RedisKeys(redis.prefix);
  log = new ReplyLog(connection, keys);
});

afterAll(async () => {
  await log?.close();
  await connection?.quit();
  await redis?.stop();
});

const batch = (conversationId: string, inReplyTo: string): OutboundBatch => ({
  conversationId,
  inReplyTo,
  replies: [{ id: `${inReplyTo}:1`, inReplyTo, text: 'Halo' }],
});

describe('the reply log', () => {
  it('appends a batch delivered twice (after a crash) once', async () => {
    expect(await log.append(batch('console:a', 'm1'))).toBe(true);
    expect(await log.append(batch('console:a', 'm1'))).toBe(false);
    const entries = await log.read('console:a', '0');
    expect(entries.map((entry) => entry.type)).toEqual(['reply', 'turn-end']);
  });

  it("writes a turn's commit without a marker key, but not over a turn appended on its own", async () => {
    expect(await runCall(connection, log.appendCall(batch('console:b', 'm1')))).toBe(1);
    expect(await connection.exists(keys.replyLogDelivered('console:b', 'm1'))).toBe(0);
    // A turn that escalated was appended first, on its own; its retried commit adds nothing.
    await log.append(batch('console:b', 'm2'));
    expect(await runCall(connection, log.appendCall(batch('console:b', 'm2')))).toBe(0);
    const turnEnds = (await log.read('console:b', '0')).filter((entry) => entry.type === 'turn-end');
    expect(turnEnds.map((entry) => (entry.type === 'turn-end' ? entry.inReplyTo : ''))).toEqual(['m1', 'm2']);
  });
});
