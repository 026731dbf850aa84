import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPelita } from './harness/test-pelita.ts';
import { answeredOnceInOrder, sendScriptedLoad } from './harness/http-load.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const CONVERSATIONS = 100;
const PER_CONVERSATION = 20;

/**
 * Issue 6, fault (b): redis-server (append-only file on) is restarted in the middle of
 * 2,000 messages. While it is down the gateway answers 503 and the senders retry, as
 * platforms do; nothing acknowledged is lost, nothing is answered twice or out of order.
 */
describe('Redis restarted under load', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startTestRedis({ private: true });
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('answers every acknowledged message once and in order', async () => {
    const { runtime, baseUrl } = await startTestPelita(redis, { QUEUE_LOCK_MS: '3000', WORKER_CONCURRENCY: '8' });
    try {
      let restart: Promise<void> | undefined;
      const { sent, retried } = await sendScriptedLoad(baseUrl, {
        prefix: 'aof',
        conversations: CONVERSATIONS,
        perConversation: PER_CONVERSATION,
        onAccepted: (total) => {
          if (total === 700) restart = redis.restart!(1500);
        },
      });
      await restart;
      expect([...sent.values()].flat()).toHaveLength(CONVERSATIONS * PER_CONVERSATION);
      // The restart really interrupted the load: some messages had to be sent again.
      expect(retried).toBeGreaterThan(0);
      expect(await answeredOnceInOrder(baseUrl, sent)).toEqual([]);
    } finally {
      await runtime.stop(2000);
    }
  }, 240_000);
});
