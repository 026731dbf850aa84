import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnPelita, type PelitaProcess } from './harness/pelita-process.ts';
import { answeredOnceInOrder, sendScriptedLoad } from './harness/http-load.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const CONVERSATIONS = 100;
const PER_CONVERSATION = 20;

/**
 * Issue 6, fault (a) and "done when" 2: a gateway and two workers as separate processes;
 * one worker is killed with SIGKILL mid-load, and later the other is stopped with SIGTERM
 * (graceful: it finishes what it holds) while a third takes over. 2,000 messages from 100
 * conversations over the HTTP channel are each answered exactly once, in order.
 */
describe('kill -9 of a worker under load', () => {
  let redis: TestRedis;
  const processes: PelitaProcess[] = [];

  beforeAll(async () => {
    redis = await startTestRedis({ private: true });
  });

  afterAll(async () => {
    for (const running of processes) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await redis?.stop();
  });

  it('answers every message once and in order', async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, QUEUE_LOCK_MS: '3000', WORKER_CONCURRENCY: '8' };
    const [gateway, first, second] = await Promise.all([
      spawnPelita('gateway', env),
      spawnPelita('worker', env),
      spawnPelita('worker', env),
    ]);
    processes.push(gateway, first, second);
    const baseUrl = `http://127.0.0.1:${gateway.port}`;

    let replaced: Promise<void> | undefined;
    const { sent } = await sendScriptedLoad(baseUrl, {
      prefix: 'kill',
      conversations: CONVERSATIONS,
      perConversation: PER_CONVERSATION,
      onAccepted: (total) => {
        if (total === 500) first.child.kill('SIGKILL');
        // A fresh worker joins, then the second one is asked to stop: it finishes its work.
        if (total === 1200) {
          replaced = spawnPelita('worker', env).then((third) => {
            processes.push(third);
            second.child.kill('SIGTERM');
          });
        }
      },
    });
    await replaced;
    expect([...sent.values()].flat()).toHaveLength(CONVERSATIONS * PER_CONVERSATION);
    expect(await first.exited).toBeNull();
    expect(await second.exited, second.output()).toBe(0);
    expect(await answeredOnceInOrder(baseUrl, sent)).toEqual([]);
  }, 240_000);
});
