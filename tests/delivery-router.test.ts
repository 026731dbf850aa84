import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../src/cases/case.ts';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadTranslator } from '../src/content/translator.ts';
import type { Channel } from '../src/core/messages/channel.ts';
import { type OutboundBatch, outboundBatchSchema } from '../src/core/messages/reply.ts';
import { DeliveryRouter } from '../src/pipeline/delivery-router.ts';
import { PelitaMetrics } from '../src/pipeline/pelita-metrics.ts';
import { ReplyLog } from '../src/pipeline/reply-log/reply-log.ts';
import { ConversationQueue } from '../src/redis/conversation-queue.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let keys: RedisKeys;
let replyLog: ReplyLog;
const queues = new Map<Channel, ConversationQueue<OutboundBatch>>();
const translator = loadTranslator(SHIPPED_CONTENT.locales);

beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url);
  keys = new RedisKeys(redis.prefix);
  replyLog = new ReplyLog(connection, keys);
});

afterAll(async () => {
  await Promise.all([...queues.values()].map((queue) => queue.close(1000)));
  await replyLog?.close();
  await connection?.quit();
  await redis?.stop();
});

function router(httpCallbackUrl?: string): DeliveryRouter {
  return new DeliveryRouter({
    replyLog,
    metrics: new PelitaMetrics(),
    outboundFor: (channel) => {
      let queue = queues.get(channel);
      if (!queue) {
        queue = new ConversationQueue({
          name: `outbound-${channel}`,
          payload: outboundBatchSchema,
          redis: connection,
          keys,
          dedupeTtlSeconds: 60,
          lockTtlMs: 5000,
        });
        queues.set(channel, queue);
      }
      return queue;
    },
    httpCallbackUrl,
    translator,
  });
}

const batch = (conversationId: string, inReplyTo: string, urgent = false): OutboundBatch => ({
  conversationId,
  inReplyTo,
  replies: [{ id: `${inReplyTo}:1`, inReplyTo, text: 'Halo' }],
  ...(urgent ? { urgent: true } : {}),
});

const replyTexts = async (conversationId: string) =>
  (await replyLog.read(conversationId, '0')).flatMap((entry) => (entry.type === 'reply' ? [entry.reply.text] : []));

describe('delivery to a person on their channel', () => {
  it('writes replies for channels that fetch them into the reply log, and queues them for push channels', async () => {
    const delivery = router();
    await delivery.deliver(batch('http:pull-1', 'm1'));
    expect(await replyTexts('http:pull-1')).toEqual(['Halo']);
    await delivery.deliver(batch('telegram:42', 't1'));
    expect(await replyTexts('telegram:42')).toEqual([]);
    expect(await queues.get('telegram')!.pending('telegram:42')).toBe(1);
  });

  it('puts an urgent batch (hotlines) on the urgent lane of its channel', async () => {
    await router().deliver(batch('telegram:43', 'u1', true));
    expect(await connection.lrange(keys.queueUrgent('outbound-telegram'), 0, -1)).toContain('telegram:43');
    expect(await connection.lrange(keys.queueReady('outbound-telegram'), 0, -1)).not.toContain('telegram:43');
  });

  it('gives a turn the reply-log write for pull channels only, and HTTP is a push channel once it has a callback', () => {
    expect(router().turnWrite(batch('console:c', 'm1'))?.write).toBeDefined();
    expect(router().turnWrite(batch('http:h', 'm1'))?.write).toBeDefined();
    expect(router().turnWrite(batch('telegram:1', 'm1'))).toBeUndefined();
    expect(router('https://partner.example.org/replies').turnWrite(batch('http:h', 'm1'))).toBeUndefined();
    expect(router('https://partner.example.org/replies').isPull('http')).toBe(false);
  });

  it("brings a case worker's words to the person in their language, and nothing once their data was deleted", async () => {
    const found = { id: 'C7', conversationId: 'http:case-person', language: 'en' } as Case;
    await router().toPerson(found, 'r1', 'We are calling the embassy now.');
    const [text] = await replyTexts('http:case-person');
    expect(text).toBe(translator.t('cases.operator_says', 'en', { text: 'We are calling the embassy now.' }));
    expect(text).toContain('We are calling the embassy now.');
    await router().toPerson(found, 'r2', undefined);
    expect((await replyTexts('http:case-person'))[1]).toBe(translator.t('cases.handed_back', 'en'));
    await router().toPerson({ ...found, conversationId: 'deleted:0123abcd' }, 'r3', 'hello?');
    expect(await replyTexts('deleted:0123abcd')).toEqual([]);
  });
});
